"""Shared base of the constructs: a ``TerraformHclModule`` over one of the project's modules."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from constructs import Construct

from root_access_cdktf._cdk import cdk
from root_access_cdktf.source import module_source

__all__ = ["RootAccessModule", "ScpLintOutputs", "stack_relative_source"]


def stack_relative_source(scope: Construct, directory: str) -> str:
    """``directory`` as a ``./``/``../`` path from the stack's working directory.

    Terraform refers to local-path modules in place only when the source starts with
    ``./`` or ``../``; an absolute path is a go-getter address that ``terraform init``
    copies into ``.terraform/modules`` without the ``scripts/`` and ``src/`` the modules
    use (developer.hashicorp.com/terraform/language/modules/sources, "Local Paths").
    The stack's working directory is ``<app outdir>/stacks/<stack id>`` (cdktf Manifest).
    """
    stack = cdk.TerraformStack.of(scope)
    outdir = Path(cdk.App.of(scope).outdir).resolve()
    relative = os.path.relpath(directory, outdir / "stacks" / stack.node.id)
    return relative if relative.startswith("../") else f"./{relative}"


class RootAccessModule(cdk.TerraformHclModule):
    """A ``module`` block whose address is the construct id (``module.<id>``), as in HCL.

    Subclasses set ``MODULE`` (``None`` for the root module, else the folder under
    ``modules/``) and pass already validated variables; ``None`` values are left out so
    the module's own defaults apply (one source of truth for defaults). A local source is
    written relative to the stack's working directory and used in place (no asset copy).
    """

    MODULE: ClassVar[str | None] = None

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        variables: Mapping[str, Any],
        source: str | None,
        providers: Sequence[Any] | None,
        depends_on: Sequence[Any] | None,
    ) -> None:
        address = module_source(self.MODULE, source)
        local = os.path.isabs(address)
        super().__init__(
            scope,
            id,
            source=stack_relative_source(scope, address) if local else address,
            skip_asset_creation_from_local_modules=local,
            variables={name: value for name, value in variables.items() if value is not None},
            providers=list(providers) if providers else None,
            depends_on=list(depends_on) if depends_on else None,
        )


class ScpLintOutputs:
    """The SCP lint's outputs, shared by the constructs whose module runs the audit data
    source (the root module and ``root-credentials-audit``); mixed into a
    :class:`RootAccessModule`."""

    if TYPE_CHECKING:  # provided by cdk.TerraformHclModule

        def get(self, output: str) -> Any: ...

        def get_list(self, output: str) -> list[str]: ...

    @property
    def scp_blocked_accounts(self) -> Any:
        """Token for the SCP lint's blocked accounts, keyed by id: ``{tasks, policy,
        statement, fix}`` (read before any AssumeRoot; unknown ones are in
        ``scp_lint_unknown_accounts``)."""
        return self.get("scp_blocked_accounts")

    @property
    def scp_lint_unknown_accounts(self) -> list[str]:
        """Token for the sorted ids whose SCPs the lint could not read (unknown, never
        clear)."""
        return self.get_list("scp_lint_unknown_accounts")
