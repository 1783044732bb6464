"""The one place that knows which CDK runs: CDK Terrain (``cdktn``) or cdktf (``cdktf``).

CDK Terrain 0.22 was a pure rename of CDK for Terraform (``cdktf`` -> ``cdktn``,
``cdktf_cdktf_provider_aws`` -> ``cdktn_provider_aws``; CDK Terrain CHANGELOG.md), so the
constructs use one code path and only the import differs. CDK Terrain is preferred when both
are installed; ``ROOT_ACCESS_CDK=cdktf`` (or ``cdktn``) forces one.

Importing this module starts the jsii runtime (a ``node`` child process), as importing
``cdktn`` or ``cdktf`` does.
"""

from __future__ import annotations

import importlib
import os
from types import ModuleType
from typing import TYPE_CHECKING

__all__ = ["CDK_ENV", "CDK_NAME", "STACKS", "aws_provider_module", "cdk"]

CDK_ENV = "ROOT_ACCESS_CDK"
"""Environment variable that forces one stack: ``cdktn`` or ``cdktf``."""

STACKS: dict[str, str] = {"cdktn": "cdktn_provider_aws", "cdktf": "cdktf_cdktf_provider_aws"}
"""Core package -> prebuilt AWS provider package, in order of preference."""


def _import_first(names: tuple[str, ...]) -> ModuleType:
    for name in names:
        try:
            return importlib.import_module(name)
        except ModuleNotFoundError as error:
            if error.name != name:  # the package is there but broken: say so
                raise
    raise ModuleNotFoundError(
        f"root_access_cdktf needs CDK Terrain or CDK for Terraform: pip install "
        f"'root-access-cdktf[cdktn]' (or '[cdktf]' for existing cdktf apps); looked for {names}"
    )


def _load() -> ModuleType:
    forced = os.environ.get(CDK_ENV, "").strip()
    if forced and forced not in STACKS:
        raise ValueError(f"{CDK_ENV}={forced!r}: allowed values are {sorted(STACKS)}")
    return _import_first((forced,) if forced else tuple(STACKS))


if TYPE_CHECKING:
    import cdktn as cdk
else:
    cdk = _load()

CDK_NAME: str = cdk.__name__
"""``"cdktn"`` or ``"cdktf"``: the stack this process runs."""


def aws_provider_module() -> ModuleType:
    """The prebuilt AWS provider's ``provider`` module of the running stack (has ``AwsProvider``).

    For apps and tests only: the constructs never create providers. Imported lazily because
    the provider package is large (about 500 MB installed, several seconds to load).

    Raises ``ModuleNotFoundError`` naming the package to install when it is missing.
    """
    package = STACKS[CDK_NAME]
    try:
        return importlib.import_module(f"{package}.provider")
    except ModuleNotFoundError as error:
        if error.name not in (package, f"{package}.provider"):
            raise
        raise ModuleNotFoundError(
            f"the AWS provider for {CDK_NAME} is missing: pip install "
            f"'root-access-cdktf[{CDK_NAME}]'"
        ) from error
