"""Apply the simulator's extensions to moto (idempotent).

``install()`` patches moto 5.2.5 in place: the IAM organization-feature APIs,
``sts:AssumeRoot``, root sessions with task-policy enforcement, the member root
user, Organizations' acceptance of ``iam.amazonaws.com`` and a constant-time
access-key-to-account index. Call it before ``moto.mock_aws()`` starts (or in the
moto server process); calling it again does nothing.
"""

from __future__ import annotations

__all__ = ["install", "installed"]


def install() -> None:
    """Patch moto once; later calls are no-ops. Raises nothing."""
    raise NotImplementedError


def installed() -> bool:
    """True once ``install()`` has patched moto in this process."""
    raise NotImplementedError
