"""Scenario files: a declarative description of simulated AWS organizations.

A scenario is a YAML or JSON document (the format is documented with a full
example in ``docs/simulator.md``)::

    organizations:
      - management_account: "111111111111"
        feature_set: ALL                      # or CONSOLIDATED_BILLING
        trusted_access: [iam.amazonaws.com]
        features: [RootCredentialsManagement, RootSessions]
        delegated_administrator: "333333333333"
        accounts: [...]                       # accounts directly under the root
        organizational_units:
          - name: Security
            accounts:
              - id: "333333333333"
                name: security
                state: ACTIVE                 # SUSPENDED, PENDING_CLOSURE, PENDING_ACTIVATION
                root_credentials:
                  password: true
                  access_keys: [{status: Active, last_used: {date: ..., service: s3, region: ...}}]
                  signing_certificates: 1     # a count
                  mfa_devices: [virtual, fido, hardware]
                scp_deny: ["iam:DeleteLoginProfile"]
            organizational_units: [...]       # nested, up to 5 levels as in AWS
    faults: {...}                             # see root_access.simulator.faults.Faults.from_dict

Loading validates the whole document and raises :class:`ScenarioError` with a one-line
message naming the file and the path of the first bad field, e.g.
``scenario.yaml: organizations[0].accounts[3].id: '12345' is not a 12-digit account id``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from importlib import resources
from pathlib import Path
from typing import Any

from .aws import FEATURES
from .faults import Faults, FaultsError

__all__ = [
    "ACCOUNT_STATES",
    "FEATURE_SETS",
    "MFA_KINDS",
    "AccessKey",
    "AccessKeyLastUsed",
    "Account",
    "Organization",
    "OrganizationalUnit",
    "RootCredentials",
    "Scenario",
    "ScenarioError",
]

ACCOUNT_STATES = ("ACTIVE", "SUSPENDED", "PENDING_CLOSURE", "PENDING_ACTIVATION")
"""Account ``State`` values of the Organizations API (DescribeAccount)."""
FEATURE_SETS = ("ALL", "CONSOLIDATED_BILLING")
MFA_KINDS = ("virtual", "fido", "hardware")
"""MFA device kinds, told apart by serial number (reference §4)."""
KEY_STATUSES = ("Active", "Inactive")
MAX_MFA_DEVICES = 8
"""IAM allows up to 8 MFA devices per user, the root user included."""
MAX_ACCESS_KEYS = 2
MAX_OU_DEPTH = 5
"""Organizations allows OUs nested five levels below the root."""

_ACCOUNT_ID = re.compile(r"^[0-9]{12}$")
_ACTION = re.compile(r"^(\*|[a-z0-9*-]+:[A-Za-z0-9*?]+)$")
_SERVICE_PRINCIPAL = re.compile(r"^[a-z0-9.-]+\.amazonaws\.com(\.cn)?$")
_PARTITIONS = ("aws", "aws-cn", "aws-us-gov")
_REGION = re.compile(r"^[a-z]{2}(-[a-z]+)+-[0-9]$")


class ScenarioError(ValueError):
    """A scenario document is malformed.

    ``str(error)`` is one line: ``<source>: <path>: <what is wrong>``.
    """

    def __init__(self, source: str, path: str, problem: str) -> None:
        self.source = source
        self.path = path
        self.problem = problem
        where = f"{path}: " if path else ""
        super().__init__(f"{source}: {where}{problem}")


@dataclass(frozen=True, slots=True)
class AccessKeyLastUsed:
    """When and where a root access key was last used (GetAccessKeyLastUsed)."""

    date: datetime
    service: str
    region: str


@dataclass(frozen=True, slots=True)
class AccessKey:
    """A root access key: ``status`` is ``Active`` or ``Inactive``."""

    status: str = "Active"
    last_used: AccessKeyLastUsed | None = None


@dataclass(frozen=True, slots=True)
class RootCredentials:
    """The credentials a member account's root user holds.

    ``signing_certificates`` is a count; ``mfa_devices`` holds one kind
    (``virtual``/``fido``/``hardware``) per device.
    """

    password: bool = False
    access_keys: tuple[AccessKey, ...] = ()
    signing_certificates: int = 0
    mfa_devices: tuple[str, ...] = ()

    @property
    def any(self) -> bool:
        """True when the root user holds at least one credential."""
        return bool(
            self.password or self.access_keys or self.signing_certificates or self.mfa_devices
        )


@dataclass(frozen=True, slots=True)
class Account:
    """A member account (or the management account) of an organization."""

    id: str
    name: str
    email: str | None = None
    state: str = "ACTIVE"
    root_credentials: RootCredentials = field(default_factory=RootCredentials)
    scp_deny: tuple[str, ...] = ()
    """IAM actions (``service:Action``) a service control policy denies in root sessions."""


@dataclass(frozen=True, slots=True)
class OrganizationalUnit:
    """An OU (or the root, named ``Root``) with its accounts and child OUs."""

    name: str
    accounts: tuple[Account, ...] = ()
    organizational_units: tuple[OrganizationalUnit, ...] = ()

    def walk(self) -> Iterator[Account]:
        """Every account in this OU and below, depth first."""
        yield from self.accounts
        for child in self.organizational_units:
            yield from child.walk()


@dataclass(frozen=True, slots=True)
class Organization:
    """One organization: its management account, settings and tree."""

    management_account: Account
    root: OrganizationalUnit
    feature_set: str = "ALL"
    partition: str = "aws"
    trusted_access: tuple[str, ...] = ()
    features: tuple[str, ...] = ()
    delegated_administrator: str | None = None

    def accounts(self) -> Iterator[Account]:
        """The management account, then every member account, depth first."""
        yield self.management_account
        yield from self.root.walk()


@dataclass(frozen=True, slots=True)
class Scenario:
    """A validated scenario: one or more organizations, faults and the default Region."""

    organizations: tuple[Organization, ...]
    faults: Faults = field(default_factory=Faults)
    region: str = "us-east-1"
    source: str = "<scenario>"

    @classmethod
    def load(cls, path: str | Path) -> Scenario:
        """Read and validate a ``.yaml``/``.yml``/``.json`` scenario file.

        Raises ScenarioError (one line naming the file and the bad field) for
        unreadable, unparsable or invalid documents.
        """
        path = Path(path)
        source = path.name
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as error:
            raise ScenarioError(source, "", f"cannot read: {error.strerror}") from error
        return cls.loads(text, source=source, json_format=path.suffix.lower() == ".json")

    @classmethod
    def loads(cls, text: str, *, source: str = "<scenario>", json_format: bool = False) -> Scenario:
        """Parse and validate a scenario document given as text (YAML unless ``json_format``)."""
        data: Any
        if json_format:
            try:
                data = json.loads(text)
            except json.JSONDecodeError as error:
                raise ScenarioError(
                    source, "", f"invalid JSON: {error.msg} at line {error.lineno}"
                ) from error
        else:
            import yaml

            try:
                data = yaml.safe_load(text)
            except yaml.YAMLError as error:
                mark = getattr(error, "problem_mark", None)
                line = f" at line {mark.line + 1}" if mark is not None else ""
                problem = getattr(error, "problem", None) or "syntax error"
                raise ScenarioError(source, "", f"invalid YAML: {problem}{line}") from error
        return cls.from_dict(data, source=source)

    @classmethod
    def from_dict(cls, data: Any, *, source: str = "<scenario>") -> Scenario:
        """Validate a parsed document (the shape of the YAML file); raises ScenarioError."""
        return _Parser(source).scenario(data)

    @classmethod
    def packaged(cls, name: str) -> Scenario:
        """A scenario shipped in ``root_access/simulator/scenarios/``: ``default``, ``demo``."""
        resource = resources.files(__package__).joinpath("scenarios", f"{name}.yaml")
        if not resource.is_file():
            known = sorted(
                entry.name.removesuffix(".yaml")
                for entry in resources.files(__package__).joinpath("scenarios").iterdir()
                if entry.name.endswith(".yaml")
            )
            raise ScenarioError(
                name,
                "",
                f"no such packaged scenario (packaged: {', '.join(known)}; or give a file path)",
            )
        return cls.loads(resource.read_text(encoding="utf-8"), source=f"{name}.yaml")

    @classmethod
    def named(cls, name_or_path: str | Path) -> Scenario:
        """A scenario file when ``name_or_path`` exists or has a suffix, else a packaged one."""
        path = Path(name_or_path)
        if path.exists() or path.suffix:
            return cls.load(path)
        return cls.packaged(str(name_or_path))

    @classmethod
    def default(cls) -> Scenario:
        """The packaged ``default.yaml``: one organization, features ON, used by the fixtures."""
        return cls.packaged("default")

    @classmethod
    def generate(
        cls,
        *,
        accounts: int,
        with_credentials: float = 0.3,
        seed: int = 0,
        features: Sequence[str] = FEATURES,
        trusted_access: bool = True,
        delegated_administrator: str | None = "333333333333",
    ) -> Scenario:
        """A reproducible organization of ``accounts`` accounts (management included).

        See :func:`root_access.simulator.generate.generate_scenario`.
        """
        from .generate import generate_scenario

        return generate_scenario(
            accounts=accounts,
            with_credentials=with_credentials,
            seed=seed,
            features=features,
            trusted_access=trusted_access,
            delegated_administrator=delegated_administrator,
        )

    def accounts(self) -> Iterator[tuple[Organization, Account]]:
        """Every (organization, account) pair, management accounts first in each organization."""
        for organization in self.organizations:
            for account in organization.accounts():
                yield organization, account

    def to_dict(self) -> dict[str, Any]:
        """The document form (what ``from_dict`` reads); JSON-serialisable."""
        return {
            "region": self.region,
            "organizations": [_organization_to_dict(o) for o in self.organizations],
            "faults": self.faults.to_dict(),
        }


def _credentials_to_dict(credentials: RootCredentials) -> dict[str, Any]:
    keys: list[dict[str, Any]] = []
    for key in credentials.access_keys:
        item: dict[str, Any] = {"status": key.status}
        if key.last_used is not None:
            item["last_used"] = {
                "date": key.last_used.date.isoformat(),
                "service": key.last_used.service,
                "region": key.last_used.region,
            }
        keys.append(item)
    return {
        "password": credentials.password,
        "access_keys": keys,
        "signing_certificates": credentials.signing_certificates,
        "mfa_devices": list(credentials.mfa_devices),
    }


def _account_to_dict(account: Account) -> dict[str, Any]:
    item: dict[str, Any] = {"id": account.id, "name": account.name, "state": account.state}
    if account.email is not None:
        item["email"] = account.email
    if account.root_credentials.any:
        item["root_credentials"] = _credentials_to_dict(account.root_credentials)
    if account.scp_deny:
        item["scp_deny"] = list(account.scp_deny)
    return item


def _ou_to_dict(ou: OrganizationalUnit) -> dict[str, Any]:
    return {
        "name": ou.name,
        "accounts": [_account_to_dict(a) for a in ou.accounts],
        "organizational_units": [_ou_to_dict(c) for c in ou.organizational_units],
    }


def _organization_to_dict(organization: Organization) -> dict[str, Any]:
    management = _account_to_dict(organization.management_account)
    management.pop("state", None)
    return {
        "management_account": management,
        "partition": organization.partition,
        "feature_set": organization.feature_set,
        "trusted_access": list(organization.trusted_access),
        "features": list(organization.features),
        "delegated_administrator": organization.delegated_administrator,
        "accounts": [_account_to_dict(a) for a in organization.root.accounts],
        "organizational_units": [_ou_to_dict(c) for c in organization.root.organizational_units],
    }


class _Parser:
    """Validates a parsed document, tracking the path of the field being read."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.seen_ids: dict[str, str] = {}

    def fail(self, path: str, problem: str) -> ScenarioError:
        return ScenarioError(self.source, path, problem)

    def mapping(self, value: Any, path: str, allowed: Sequence[str]) -> Mapping[str, Any]:
        if not isinstance(value, Mapping):
            raise self.fail(path, f"expected a mapping, got {_kind(value)}")
        for key in value:
            if key not in allowed:
                raise self.fail(
                    _join(path, str(key)),
                    f"unknown field (expected one of: {', '.join(allowed)})",
                )
        return value

    def sequence(self, value: Any, path: str) -> Sequence[Any]:
        if value is None:
            return ()
        if isinstance(value, str) or not isinstance(value, Sequence):
            raise self.fail(path, f"expected a list, got {_kind(value)}")
        return value

    def string(self, value: Any, path: str) -> str:
        if not isinstance(value, str) or not value:
            raise self.fail(path, f"expected a non-empty string, got {_kind(value)}")
        return value

    def choice(self, value: Any, path: str, allowed: Sequence[str]) -> str:
        if value not in allowed:
            raise self.fail(path, f"{value!r} is not one of {', '.join(allowed)}")
        return str(value)

    def account_id(self, value: Any, path: str) -> str:
        if isinstance(value, int) and not isinstance(value, bool):
            value = f"{value:012d}"  # YAML reads unquoted ids as integers
        if not isinstance(value, str) or _ACCOUNT_ID.fullmatch(value) is None:
            raise self.fail(path, f"{value!r} is not a 12-digit account id")
        return value

    def scenario(self, data: Any) -> Scenario:
        document = self.mapping(data, "", ("region", "organizations", "faults"))
        region = document.get("region", "us-east-1")
        if not isinstance(region, str) or _REGION.fullmatch(region) is None:
            raise self.fail("region", f"{region!r} is not a Region name like us-east-1")
        organizations = self.sequence(document.get("organizations"), "organizations")
        if not organizations:
            raise self.fail("organizations", "at least one organization is required")
        parsed = tuple(
            self.organization(o, f"organizations[{i}]") for i, o in enumerate(organizations)
        )
        try:
            faults = Faults.from_dict(document.get("faults") or {})
        except FaultsError as error:
            raise self.fail(_join("faults", error.path), error.problem) from error
        return Scenario(organizations=parsed, faults=faults, region=region, source=self.source)

    def organization(self, data: Any, path: str) -> Organization:
        org = self.mapping(
            data,
            path,
            (
                "management_account",
                "partition",
                "feature_set",
                "trusted_access",
                "features",
                "delegated_administrator",
                "accounts",
                "organizational_units",
            ),
        )
        if "management_account" not in org:
            raise self.fail(_join(path, "management_account"), "is required")
        raw_management = org["management_account"]
        management_path = _join(path, "management_account")
        if isinstance(raw_management, Mapping):
            management = self.account(raw_management, management_path, management=True)
        else:
            account_id = self.account_id(raw_management, management_path)
            self.claim(account_id, management_path)
            management = Account(id=account_id, name="management")
        partition = self.choice(org.get("partition", "aws"), _join(path, "partition"), _PARTITIONS)
        feature_set = self.choice(
            org.get("feature_set", "ALL"), _join(path, "feature_set"), FEATURE_SETS
        )
        trusted_access: list[str] = []
        for i, principal in enumerate(
            self.sequence(org.get("trusted_access"), _join(path, "trusted_access"))
        ):
            item_path = f"{_join(path, 'trusted_access')}[{i}]"
            text = self.string(principal, item_path)
            if _SERVICE_PRINCIPAL.fullmatch(text) is None:
                raise self.fail(item_path, f"{text!r} is not a service principal")
            trusted_access.append(text)
        features = tuple(
            self.choice(f, f"{_join(path, 'features')}[{i}]", FEATURES)
            for i, f in enumerate(self.sequence(org.get("features"), _join(path, "features")))
        )
        root = self.organizational_unit(
            {
                "name": "Root",
                "accounts": org.get("accounts"),
                "organizational_units": org.get("organizational_units"),
            },
            path,
            depth=0,
        )
        delegated: str | None = None
        if org.get("delegated_administrator") is not None:
            delegated_path = _join(path, "delegated_administrator")
            delegated = self.account_id(org["delegated_administrator"], delegated_path)
            if delegated == management.id:
                raise self.fail(delegated_path, "the management account cannot be delegated")
            if all(a.id != delegated for a in root.walk()):
                raise self.fail(
                    delegated_path, f"{delegated!r} is not an account of this organization"
                )
        return Organization(
            management_account=management,
            root=root,
            feature_set=feature_set,
            partition=partition,
            trusted_access=tuple(trusted_access),
            features=features,
            delegated_administrator=delegated,
        )

    def organizational_unit(self, data: Any, path: str, *, depth: int) -> OrganizationalUnit:
        ou = self.mapping(data, path, ("name", "accounts", "organizational_units"))
        name = self.string(ou.get("name"), _join(path, "name"))
        if depth > MAX_OU_DEPTH:
            raise self.fail(path, f"OUs nest at most {MAX_OU_DEPTH} levels below the root")
        accounts_path = _join(path, "accounts")
        accounts = tuple(
            self.account(a, f"{accounts_path}[{i}]")
            for i, a in enumerate(self.sequence(ou.get("accounts"), accounts_path))
        )
        children_path = _join(path, "organizational_units")
        children = tuple(
            self.organizational_unit(c, f"{children_path}[{i}]", depth=depth + 1)
            for i, c in enumerate(self.sequence(ou.get("organizational_units"), children_path))
        )
        return OrganizationalUnit(name=name, accounts=accounts, organizational_units=children)

    def claim(self, account_id: str, path: str) -> None:
        if account_id in self.seen_ids:
            raise self.fail(path, f"{account_id!r} already appears at {self.seen_ids[account_id]}")
        self.seen_ids[account_id] = path

    def account(self, data: Any, path: str, *, management: bool = False) -> Account:
        allowed = ("id", "name", "email", "state", "root_credentials", "scp_deny")
        account = self.mapping(data, path, allowed[:3] if management else allowed)
        if "id" not in account:
            raise self.fail(_join(path, "id"), "is required")
        account_id = self.account_id(account["id"], _join(path, "id"))
        self.claim(account_id, _join(path, "id"))
        name = account.get("name", "management" if management else f"account-{account_id}")
        name = self.string(name, _join(path, "name"))
        email = account.get("email")
        if email is not None and (not isinstance(email, str) or "@" not in email):
            raise self.fail(_join(path, "email"), f"{email!r} is not an email address")
        state = self.choice(account.get("state", "ACTIVE"), _join(path, "state"), ACCOUNT_STATES)
        credentials = self.root_credentials(
            account.get("root_credentials"), _join(path, "root_credentials")
        )
        scp_path = _join(path, "scp_deny")
        scp_deny: list[str] = []
        for i, action in enumerate(self.sequence(account.get("scp_deny"), scp_path)):
            text = self.string(action, f"{scp_path}[{i}]")
            if _ACTION.fullmatch(text) is None:
                raise self.fail(
                    f"{scp_path}[{i}]", f"{text!r} is not an action like iam:DeleteLoginProfile"
                )
            scp_deny.append(text)
        return Account(
            id=account_id,
            name=name,
            email=email,
            state=state,
            root_credentials=credentials,
            scp_deny=tuple(scp_deny),
        )

    def root_credentials(self, data: Any, path: str) -> RootCredentials:
        if data is None:
            return RootCredentials()
        creds = self.mapping(
            data, path, ("password", "access_keys", "signing_certificates", "mfa_devices")
        )
        password = creds.get("password", False)
        if not isinstance(password, bool):
            raise self.fail(
                _join(path, "password"), f"expected true or false, got {_kind(password)}"
            )
        keys_path = _join(path, "access_keys")
        keys = tuple(
            self.access_key(k, f"{keys_path}[{i}]")
            for i, k in enumerate(self.sequence(creds.get("access_keys"), keys_path))
        )
        if len(keys) > MAX_ACCESS_KEYS:
            raise self.fail(keys_path, f"a root user has at most {MAX_ACCESS_KEYS} access keys")
        certificates = self.certificates(
            creds.get("signing_certificates"), _join(path, "signing_certificates")
        )
        mfa_path = _join(path, "mfa_devices")
        mfa = tuple(
            self.choice(m, f"{mfa_path}[{i}]", MFA_KINDS)
            for i, m in enumerate(self.sequence(creds.get("mfa_devices"), mfa_path))
        )
        if len(mfa) > MAX_MFA_DEVICES:
            raise self.fail(mfa_path, f"a root user has at most {MAX_MFA_DEVICES} MFA devices")
        return RootCredentials(
            password=password, access_keys=keys, signing_certificates=certificates, mfa_devices=mfa
        )

    def certificates(self, data: Any, path: str) -> int:
        if data is None:
            return 0
        if isinstance(data, bool) or not isinstance(data, int) or data < 0:
            raise self.fail(path, f"expected a count of certificates, got {_kind(data)}")
        return data

    def access_key(self, data: Any, path: str) -> AccessKey:
        key = self.mapping(data, path, ("status", "last_used"))
        status = self.choice(key.get("status", "Active"), _join(path, "status"), KEY_STATUSES)
        last_used: AccessKeyLastUsed | None = None
        if key.get("last_used") is not None:
            used_path = _join(path, "last_used")
            used = self.mapping(key["last_used"], used_path, ("date", "service", "region"))
            last_used = AccessKeyLastUsed(
                date=self.timestamp(used.get("date"), _join(used_path, "date")),
                service=self.string(used.get("service"), _join(used_path, "service")),
                region=self.string(used.get("region"), _join(used_path, "region")),
            )
        return AccessKey(status=status, last_used=last_used)

    def timestamp(self, value: Any, path: str) -> datetime:
        if isinstance(value, datetime):
            moment = value
        elif isinstance(value, str):
            try:
                moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
            except ValueError:
                raise self.fail(path, f"{value!r} is not an ISO 8601 date-time") from None
        else:
            raise self.fail(path, f"expected an ISO 8601 date-time, got {_kind(value)}")
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=timezone.utc)
        return moment


def _join(path: str, key: str) -> str:
    if not key:
        return path
    return f"{path}.{key}" if path else key


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, str):
        return f"{value!r}"
    if isinstance(value, Sequence):
        return "a list"
    return f"{value!r}"
