"""Who signed a request: an IAM principal, a root user, or an AssumeRoot session."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from moto.core.responses import BaseResponse

from root_access.simulator.aws import root_arn
from root_access.simulator.state import RootSession, sim_state

__all__ = ["Caller", "PrincipalKind", "identify"]


class PrincipalKind(str, Enum):
    """What kind of principal signed the request."""

    IAM = "iam"
    """An IAM user or role (or a key unknown to the simulator)."""
    ROOT = "root"
    """A long-term root access key of an account."""
    ROOT_SESSION = "root_session"
    """Credentials returned by ``sts:AssumeRoot``."""


@dataclass(frozen=True)
class Caller:
    """The signer of one request. ``partition`` comes from the request's Region."""

    access_key_id: str
    account_id: str
    partition: str
    kind: PrincipalKind
    session: RootSession | None = None

    @property
    def is_root(self) -> bool:
        """True for root users and root sessions."""
        return self.kind is not PrincipalKind.IAM

    @property
    def root_arn(self) -> str:
        """``arn:<partition>:iam::<account>:root``."""
        return root_arn(self.partition, self.account_id)


def identify(resp: BaseResponse) -> Caller:
    """Classify the request's signer (O(1): dictionary lookups by access key id)."""
    access_key_id = str(resp.access_key)
    state = sim_state()
    session = state.sessions.get(access_key_id)
    if session is not None:
        return Caller(
            access_key_id,
            session.account_id,
            session.partition,
            PrincipalKind.ROOT_SESSION,
            session,
        )
    account_id = str(resp.current_account)
    if access_key_id in state.root_keys:
        return Caller(access_key_id, account_id, str(resp.partition), PrincipalKind.ROOT)
    return Caller(access_key_id, account_id, str(resp.partition), PrincipalKind.IAM)
