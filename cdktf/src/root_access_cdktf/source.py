"""Where the constructs find the project's Terraform modules (their ``source``).

The constructs wrap the HCL modules, so the Terraform code that runs is the same for HCL and
CDK users. The modules call the engine's scripts beside them (``${path.module}/../../scripts``),
so a local checkout must be used in place: the constructs write it as a ``../`` path from
the stack's working directory and skip cdktf's asset copy (``TerraformModule``,
"skipAssetCreationFromLocalModules"), see ``_module.stack_relative_source``.

Resolution order: the ``source`` prop, then ``$ROOT_ACCESS_TERRAFORM_SOURCE``, then the
repository checkout this package was installed from (editable install). A remote address
(``git::https://…?ref=v1``) gets ``//modules/<name>`` inserted before its query string, as
Terraform's module-source syntax for subdirectories asks.
"""

from __future__ import annotations

import os
from pathlib import Path

from root_access_cdktf.validation import PropsError

__all__ = ["SOURCE_ENV", "module_source", "repository_root"]

SOURCE_ENV = "ROOT_ACCESS_TERRAFORM_SOURCE"
_LOCAL_PREFIXES = ("/", "./", "../", "~")


def repository_root() -> Path | None:
    """The checkout holding ``modules/`` and ``scripts/`` around this package, if any."""
    root = Path(__file__).resolve().parents[3]
    if (root / "modules").is_dir() and (root / "scripts").is_dir():
        return root
    return None


def _is_local(address: str) -> bool:
    return address.startswith(_LOCAL_PREFIXES) or Path(address).is_dir()


def module_source(module: str | None, source: str | None = None) -> str:
    """The Terraform ``source`` of the root module (``module=None``) or ``modules/<module>``.

    ``source`` is the root of the project's Terraform code: a local directory or a remote
    module address. Local paths come back absolute. Raises :class:`PropsError` when nothing
    says where the code is.
    """
    base = source or os.environ.get(SOURCE_ENV) or None
    if base is None:
        root = repository_root()
        if root is None:
            raise PropsError(
                "source: cannot find the root-access Terraform modules; pass source= (a local "
                "checkout or a module address such as 'git::https://…//?ref=v0.1.0') or set "
                f"{SOURCE_ENV}"
            )
        base = str(root)
    if _is_local(base):
        path = Path(base).expanduser().resolve()
        return str(path / "modules" / module) if module else str(path)
    if not module:
        return base
    address, question, query = base.partition("?")
    return f"{address.rstrip('/')}//modules/{module}{question}{query}"
