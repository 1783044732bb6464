"""Reproducible large organizations for load tests and benchmarks.

``generate_organization(accounts=10_000, with_credentials=0.3, seed=7)`` (what
``Scenario.generate`` wraps) builds the same organization for the same arguments on
every machine (``random.Random(seed)``, no clock):

- ``111111111111`` is the management account, ``333333333333`` the security account and
  IAM delegated administrator (OU ``Security``), ``222222222222`` the first workload account;
  the others get ids counting up from ``400000000000``.
- OUs nest three levels: ``Security``, ``Infrastructure``, ``Sandbox``, ``Suspended`` and
  ``Workloads/{Production,Development}/Team-NN`` (one team OU per ~100 accounts).
- About 0.5 % of the members are ``SUSPENDED`` and 0.1 % ``PENDING_CLOSURE`` (at least one
  of the first from 10 accounts up), all in OU ``Suspended``.
- Exactly ``round(with_credentials * members)`` members hold root credentials; the
  first of them holds every kind (password, an active and an inactive key, a signing
  certificate, virtual, FIDO and hardware MFA devices), the others a random mix.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta, timezone
from random import Random

from .aws import FEATURES
from .model import (
    AccessKey,
    AccessKeyLastUsed,
    Account,
    Organization,
    OrganizationalUnit,
    RootCredentials,
)

__all__ = ["MANAGEMENT_ACCOUNT", "MEMBER_ACCOUNT", "SECURITY_ACCOUNT", "generate_organization"]

MANAGEMENT_ACCOUNT = "111111111111"
SECURITY_ACCOUNT = "333333333333"
MEMBER_ACCOUNT = "222222222222"
_FIRST_GENERATED_ID = 400_000_000_000
_EPOCH = datetime(2026, 1, 1, tzinfo=timezone.utc)
_SERVICES = ("s3", "ec2", "iam", "sts", "cloudformation")
_REGIONS = ("us-east-1", "eu-west-1", "ap-southeast-2")
_ACCOUNTS_PER_TEAM = 100


def generate_organization(
    *,
    accounts: int,
    with_credentials: float = 0.3,
    seed: int = 0,
    features: Sequence[str] = FEATURES,
    trusted_access: bool = True,
    delegated_administrator: str | None = SECURITY_ACCOUNT,
) -> Organization:
    """One organization of ``accounts`` accounts (the management account included).

    ``with_credentials`` is the fraction (0..1) of member accounts whose root user holds
    credentials. ``features`` are the IAM organization features turned on;
    ``trusted_access`` turns on trusted access for ``iam.amazonaws.com``;
    ``delegated_administrator`` is registered for IAM (``None``: nobody).
    Raises ValueError when ``accounts < 2``, ``with_credentials`` is outside 0..1 or a
    feature name is unknown.
    Memory: one small frozen object per account (about 0.5 KB).
    """
    if accounts < 2:
        raise ValueError(f"accounts must be at least 2 (management and security), got {accounts}")
    if not 0.0 <= with_credentials <= 1.0:
        raise ValueError(
            f"with_credentials must be a fraction between 0 and 1, got {with_credentials}"
        )
    unknown = [f for f in features if f not in FEATURES]
    if unknown:
        raise ValueError(f"{unknown[0]!r} is not one of {', '.join(FEATURES)}")
    rng = Random(seed)
    members = accounts - 1
    ids = [SECURITY_ACCOUNT]
    if members >= 2:
        ids.append(MEMBER_ACCOUNT)
    ids.extend(str(_FIRST_GENERATED_ID + i) for i in range(members - len(ids)))

    suspended = max(1, members // 200) if accounts >= 10 else 0
    pending_closure = members // 1000
    inactive = (
        set(rng.sample(range(2, members), suspended + pending_closure)) if members > 2 else set()
    )
    closing = set(sorted(inactive)[:pending_closure])
    credentialed = sorted(rng.sample(range(members), round(with_credentials * members)))
    full_set = credentialed[0] if credentialed else -1
    with_creds = set(credentialed)

    teams = max(1, members // _ACCOUNTS_PER_TEAM)
    security: list[Account] = []
    infrastructure: list[Account] = []
    sandbox: list[Account] = []
    closed: list[Account] = []
    production: list[list[Account]] = [[] for _ in range((teams + 1) // 2)]
    development: list[list[Account]] = [[] for _ in range(teams // 2 or 1)]

    for index, account_id in enumerate(ids):
        if index == full_set:
            credentials = _every_kind(rng)
        elif index in with_creds:
            credentials = _random_mix(rng)
        else:
            credentials = RootCredentials()
        state = "ACTIVE"
        if index in inactive:
            state = "PENDING_CLOSURE" if index in closing else "SUSPENDED"
        name = {SECURITY_ACCOUNT: "security", MEMBER_ACCOUNT: "workload"}.get(
            account_id, f"account-{index:05d}"
        )
        account = Account(id=account_id, name=name, state=state, root_credentials=credentials)
        if index == 0:
            security.append(account)
        elif state != "ACTIVE":
            closed.append(account)
        elif index == 1:
            production[0].append(account)
        else:
            bucket = rng.random()
            if bucket < 0.05:
                infrastructure.append(account)
            elif bucket < 0.15:
                sandbox.append(account)
            elif bucket < 0.60:
                production[rng.randrange(len(production))].append(account)
            else:
                development[rng.randrange(len(development))].append(account)

    def team_ous(groups: list[list[Account]]) -> tuple[OrganizationalUnit, ...]:
        return tuple(
            OrganizationalUnit(name=f"Team-{i:02d}", accounts=tuple(group))
            for i, group in enumerate(groups)
        )

    root = OrganizationalUnit(
        name="Root",
        organizational_units=(
            OrganizationalUnit(name="Security", accounts=tuple(security)),
            OrganizationalUnit(name="Infrastructure", accounts=tuple(infrastructure)),
            OrganizationalUnit(
                name="Workloads",
                organizational_units=(
                    OrganizationalUnit(
                        name="Production", organizational_units=team_ous(production)
                    ),
                    OrganizationalUnit(
                        name="Development", organizational_units=team_ous(development)
                    ),
                ),
            ),
            OrganizationalUnit(name="Sandbox", accounts=tuple(sandbox)),
            OrganizationalUnit(name="Suspended", accounts=tuple(closed)),
        ),
    )
    return Organization(
        management_account=Account(id=MANAGEMENT_ACCOUNT, name="management"),
        root=root,
        trusted_access=("iam.amazonaws.com",) if trusted_access else (),
        features=tuple(features),
        delegated_administrator=delegated_administrator,
    )


def _last_used(rng: Random) -> AccessKeyLastUsed | None:
    if rng.random() < 0.4:
        return None
    return AccessKeyLastUsed(
        date=_EPOCH - timedelta(days=rng.randrange(1, 400), seconds=rng.randrange(86_400)),
        service=rng.choice(_SERVICES),
        region=rng.choice(_REGIONS),
    )


def _every_kind(rng: Random) -> RootCredentials:
    return RootCredentials(
        password=True,
        access_keys=(
            AccessKey("Active", _last_used(rng)),
            AccessKey("Inactive", None),
        ),
        signing_certificates=1,
        mfa_devices=("virtual", "fido", "hardware"),
    )


def _random_mix(rng: Random) -> RootCredentials:
    password = rng.random() < 0.7
    keys: tuple[AccessKey, ...] = ()
    if rng.random() < 0.4:
        keys = tuple(
            AccessKey("Active" if rng.random() < 0.75 else "Inactive", _last_used(rng))
            for _ in range(rng.randint(1, 2))
        )
    certificates = rng.randint(1, 2) if rng.random() < 0.15 else 0
    mfa: tuple[str, ...] = ()
    if rng.random() < 0.5:
        mfa = tuple(
            rng.choices(("virtual", "fido", "hardware"), weights=(5, 3, 2))[0]
            for _ in range(rng.randint(1, 3))
        )
    if not (password or keys or certificates or mfa):
        password = True
    return RootCredentials(
        password=password, access_keys=keys, signing_certificates=certificates, mfa_devices=mfa
    )
