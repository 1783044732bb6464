"""Shared base of the constructs: a ``TerraformHclModule`` over one of the project's modules."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from constructs import Construct

from root_access_cdktf._cdk import cdk
from root_access_cdktf.source import module_source

__all__ = ["RootAccessModule"]


class RootAccessModule(cdk.TerraformHclModule):
    """A ``module`` block whose address is the construct id (``module.<id>``), as in HCL.

    Subclasses set ``MODULE`` (``None`` for the root module, else the folder under
    ``modules/``) and pass already validated variables; ``None`` values are left out so
    the module's own defaults apply (one source of truth for defaults).
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
        super().__init__(
            scope,
            id,
            source=module_source(self.MODULE, source),
            variables={name: value for name, value in variables.items() if value is not None},
            providers=list(providers) if providers else None,
            depends_on=list(depends_on) if depends_on else None,
        )
