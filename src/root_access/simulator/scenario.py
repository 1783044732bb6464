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
                scp_deny: ["iam:DeleteLoginProfile"]   # shorthand for a generated SCP
                buckets: [{name: locked-bucket, policy: {...}}]
                queues: [{name: locked-queue, policy: {...}}]
            service_control_policies: [{name: ..., document: {...}}]   # attached to the OU
            organizational_units: [...]       # nested, up to 5 levels as in AWS
        service_control_policies: [...]       # attached to the root
        task_features: {IAMCreateRootUserPassword: RootCredentialsManagement}
        pipeline: {policy: policies/audit.json}   # the pipeline principal's IAM policy
    faults: {...}                             # see root_access.simulator.faults.Faults.from_dict

Loading validates the document against ``scenario.schema.json`` (JSON Schema 2020-12,
checked with ``jsonschema``), then checks what a schema cannot say (ids unique across
the document, the delegated administrator's membership, OU depth, dates, policy
documents). It raises :class:`ScenarioError` with a one-line message naming the file
and the path of the first bad field, e.g.
``scenario.yaml: organizations[0].accounts[3].id: '12345' is not a 12-digit account id``.
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from .aws import FEATURES
from .faults import Faults, FaultsError
from .generate import SECURITY_ACCOUNT, generate_organization
from .model import (
    ACCOUNT_STATES,
    FEATURE_SETS,
    KEY_STATUSES,
    MAX_ACCESS_KEYS,
    MAX_MFA_DEVICES,
    MAX_OU_DEPTH,
    MFA_KINDS,
    AccessKey,
    AccessKeyLastUsed,
    Account,
    Bucket,
    Organization,
    OrganizationalUnit,
    Pipeline,
    Queue,
    RootCredentials,
    ServiceControlPolicy,
)
from .policy import PolicyError, parse_document

__all__ = [
    "ACCOUNT_STATES",
    "FEATURE_SETS",
    "KEY_STATUSES",
    "MAX_ACCESS_KEYS",
    "MAX_MFA_DEVICES",
    "MAX_OU_DEPTH",
    "MFA_KINDS",
    "AccessKey",
    "AccessKeyLastUsed",
    "Account",
    "Bucket",
    "Organization",
    "OrganizationalUnit",
    "Pipeline",
    "Queue",
    "RootCredentials",
    "Scenario",
    "ScenarioError",
    "ServiceControlPolicy",
    "schema",
]


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


@lru_cache(maxsize=1)
def schema() -> dict[str, Any]:
    """The scenario's JSON Schema (``root_access/simulator/scenario.schema.json``)."""
    text = resources.files(__package__).joinpath("scenario.schema.json").read_text("utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


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
        return cls.loads(
            text,
            source=source,
            json_format=path.suffix.lower() == ".json",
            base_dir=path.parent,
        )

    @classmethod
    def loads(
        cls,
        text: str,
        *,
        source: str = "<scenario>",
        json_format: bool = False,
        base_dir: str | Path | None = None,
    ) -> Scenario:
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
        return cls.from_dict(data, source=source, base_dir=base_dir)

    @classmethod
    def from_dict(
        cls, data: Any, *, source: str = "<scenario>", base_dir: str | Path | None = None
    ) -> Scenario:
        """Validate a parsed document (the shape of the YAML file); raises ScenarioError.

        ``base_dir`` resolves relative ``pipeline.policy`` paths (default: the current
        directory; ``load`` passes the file's directory).
        """
        _check_schema(data, source)
        return _Builder(source, Path(base_dir) if base_dir is not None else Path.cwd()).scenario(
            data
        )

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
        delegated_administrator: str | None = SECURITY_ACCOUNT,
    ) -> Scenario:
        """A reproducible organization of ``accounts`` accounts (management included).

        See :func:`root_access.simulator.generate.generate_organization`.
        """
        organization = generate_organization(
            accounts=accounts,
            with_credentials=with_credentials,
            seed=seed,
            features=features,
            trusted_access=trusted_access,
            delegated_administrator=delegated_administrator,
        )
        return cls(
            organizations=(organization,),
            source=f"generated(accounts={accounts}, with_credentials={with_credentials}, "
            f"seed={seed})",
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
    if account.service_control_policies:
        item["service_control_policies"] = _scps_to_list(account.service_control_policies)
    for key, resources_ in (("buckets", account.buckets), ("queues", account.queues)):
        if resources_:
            item[key] = [
                {
                    "name": r.name,
                    **({"region": r.region} if r.region else {}),
                    **({"policy": r.policy} if r.policy is not None else {}),
                }
                for r in resources_
            ]
    return item


def _scps_to_list(scps: Iterable[ServiceControlPolicy]) -> list[dict[str, Any]]:
    return [
        {
            "name": scp.name,
            "document": scp.document,
            **({"description": scp.description} if scp.description else {}),
        }
        for scp in scps
    ]


def _ou_to_dict(ou: OrganizationalUnit) -> dict[str, Any]:
    return {
        "name": ou.name,
        "accounts": [_account_to_dict(a) for a in ou.accounts],
        "organizational_units": [_ou_to_dict(c) for c in ou.organizational_units],
        "service_control_policies": _scps_to_list(ou.service_control_policies),
    }


def _organization_to_dict(organization: Organization) -> dict[str, Any]:
    management = {
        key: value
        for key, value in _account_to_dict(organization.management_account).items()
        if key in ("id", "name", "email")
    }
    pipeline = organization.pipeline
    return {
        "management_account": management,
        "partition": organization.partition,
        "feature_set": organization.feature_set,
        "trusted_access": list(organization.trusted_access),
        "features": list(organization.features),
        "delegated_administrator": organization.delegated_administrator,
        "accounts": [_account_to_dict(a) for a in organization.root.accounts],
        "organizational_units": [_ou_to_dict(c) for c in organization.root.organizational_units],
        "service_control_policies": _scps_to_list(organization.root.service_control_policies),
        "task_features": dict(organization.task_features),
        "pipeline": None
        if pipeline is None
        else {
            "policy": pipeline.policy,
            **({"account_id": pipeline.account_id} if pipeline.account_id else {}),
        },
    }


_TYPE_NAMES = {
    "object": "a mapping",
    "array": "a list",
    "string": "a non-empty string",
    "boolean": "true or false",
    "integer": "an integer",
    "null": "nothing",
}


def _path_text(parts: Iterable[Any]) -> str:
    text = ""
    for part in parts:
        text = f"{text}[{part}]" if isinstance(part, int) else _join(text, str(part))
    return text


def _check_schema(data: Any, source: str) -> None:
    """Validate ``data`` against ``schema()``; raise ScenarioError for the first error."""
    from jsonschema import Draft202012Validator

    validator = Draft202012Validator(schema())
    error = next(iter(validator.iter_errors(data)), None)
    if error is None:
        return
    path = deque(error.absolute_path)
    value = error.instance
    sub: Mapping[str, Any] = error.schema if isinstance(error.schema, Mapping) else {}
    keyword = str(error.validator)
    custom = sub.get(f"x-message-{keyword}") or sub.get("x-message")
    if keyword == "required":
        missing = next(key for key in error.validator_value if key not in value)
        path.append(missing)
        problem = "is required"
    elif keyword == "additionalProperties":
        allowed = list(sub.get("properties", {}))
        extra = next(key for key in value if key not in allowed)
        path.append(extra)
        problem = f"unknown field (expected one of: {', '.join(allowed)})"
    elif custom:
        problem = str(custom).format(value=value, kind=_kind(value))
    elif keyword == "enum":
        problem = f"{value!r} is not one of {', '.join(str(v) for v in error.validator_value)}"
    elif keyword == "type":
        wanted = error.validator_value
        names = [wanted] if isinstance(wanted, str) else [w for w in wanted if w != "null"]
        expected = " or ".join(_TYPE_NAMES.get(name, name) for name in names)
        problem = f"expected {expected}, got {_kind(value)}"
    elif keyword == "minLength":
        problem = f"expected a non-empty string, got {_kind(value)}"
    else:
        problem = error.message
    raise ScenarioError(source, _path_text(path), problem)


class _Builder:
    """Turns a schema-valid document into the model, checking what the schema cannot."""

    def __init__(self, source: str, base_dir: Path) -> None:
        self.source = source
        self.base_dir = base_dir
        self.seen_ids: dict[str, str] = {}
        self.seen_buckets: dict[str, str] = {}
        self.region = "us-east-1"
        self.policies: dict[str, tuple[str, str]] = {}

    def fail(self, path: str, problem: str) -> ScenarioError:
        return ScenarioError(self.source, path, problem)

    def items(self, value: Any) -> Sequence[Any]:
        return value if isinstance(value, list) else ()

    def account_id(self, value: Any) -> str:
        return f"{value:012d}" if isinstance(value, int) else str(value)

    def claim(self, account_id: str, path: str) -> None:
        if account_id in self.seen_ids:
            raise self.fail(path, f"{account_id!r} already appears at {self.seen_ids[account_id]}")
        self.seen_ids[account_id] = path

    def scenario(self, document: Mapping[str, Any]) -> Scenario:
        self.region = str(document.get("region", "us-east-1"))
        parsed = tuple(
            self.organization(o, f"organizations[{i}]")
            for i, o in enumerate(self.items(document.get("organizations")))
        )
        if not parsed:
            raise self.fail("organizations", "at least one organization is required")
        try:
            faults = Faults.from_dict(document.get("faults") or {})
        except FaultsError as error:
            raise self.fail(_join("faults", error.path), error.problem) from error
        return Scenario(organizations=parsed, faults=faults, region=self.region, source=self.source)

    def organization(self, org: Mapping[str, Any], path: str) -> Organization:
        self.policies = {}
        raw_management = org["management_account"]
        management_path = _join(path, "management_account")
        if isinstance(raw_management, Mapping):
            management = self.account(raw_management, management_path, management=True)
        else:
            account_id = self.account_id(raw_management)
            self.claim(account_id, management_path)
            management = Account(id=account_id, name="management")
        root = self.organizational_unit(
            {
                "name": "Root",
                "accounts": org.get("accounts"),
                "organizational_units": org.get("organizational_units"),
                "service_control_policies": org.get("service_control_policies"),
            },
            path,
            depth=0,
        )
        delegated: str | None = None
        if org.get("delegated_administrator") is not None:
            delegated_path = _join(path, "delegated_administrator")
            delegated = self.account_id(org["delegated_administrator"])
            if delegated == management.id:
                raise self.fail(delegated_path, "the management account cannot be delegated")
            if all(a.id != delegated for a in root.walk()):
                raise self.fail(
                    delegated_path, f"{delegated!r} is not an account of this organization"
                )
        return Organization(
            management_account=management,
            root=root,
            feature_set=str(org.get("feature_set", "ALL")),
            partition=str(org.get("partition", "aws")),
            trusted_access=tuple(self.items(org.get("trusted_access"))),
            features=tuple(self.items(org.get("features"))),
            delegated_administrator=delegated,
            task_features=dict(org.get("task_features") or {}),
            pipeline=self.pipeline(org.get("pipeline"), _join(path, "pipeline"), root, management),
        )

    def pipeline(
        self, data: Any, path: str, root: OrganizationalUnit, management: Account
    ) -> Pipeline | None:
        if data is None:
            return None
        policy_path = _join(path, "policy")
        raw = data["policy"]
        if isinstance(raw, str) and not raw.lstrip().startswith("{"):
            file = Path(raw) if Path(raw).is_absolute() else self.base_dir / raw
            try:
                raw = file.read_text(encoding="utf-8")
            except OSError as error:
                raise self.fail(policy_path, f"cannot read {raw}: {error.strerror}") from error
        account_id = None
        if data.get("account_id") is not None:
            account_id = self.account_id(data["account_id"])
            if account_id != management.id and all(a.id != account_id for a in root.walk()):
                raise self.fail(
                    _join(path, "account_id"),
                    f"{account_id!r} is not an account of this organization",
                )
        return Pipeline(policy=self.document(raw, policy_path), account_id=account_id)

    def document(self, raw: Any, path: str) -> str:
        """A policy document as JSON text, checked by the evaluator."""
        text = raw if isinstance(raw, str) else json.dumps(raw)
        try:
            parse_document(text)
        except PolicyError as error:
            raise self.fail(path, str(error)) from error
        return text

    def scps(self, data: Any, path: str) -> tuple[ServiceControlPolicy, ...]:
        result: list[ServiceControlPolicy] = []
        for i, item in enumerate(self.items(data)):
            item_path = f"{path}[{i}]"
            name = str(item["name"])
            text = self.document(item["document"], _join(item_path, "document"))
            earlier = self.policies.get(name)
            if earlier is not None and json.loads(earlier[0]) != json.loads(text):
                raise self.fail(
                    _join(item_path, "name"),
                    f"{name!r} is already an SCP with another document at {earlier[1]}",
                )
            self.policies.setdefault(name, (text, item_path))
            result.append(ServiceControlPolicy(name, text, str(item.get("description", ""))))
        return tuple(result)

    def organizational_unit(
        self, ou: Mapping[str, Any], path: str, *, depth: int
    ) -> OrganizationalUnit:
        if depth > MAX_OU_DEPTH:
            raise self.fail(path, f"OUs nest at most {MAX_OU_DEPTH} levels below the root")
        scps = self.scps(
            ou.get("service_control_policies"), _join(path, "service_control_policies")
        )
        accounts_path = _join(path, "accounts")
        accounts = tuple(
            self.account(a, f"{accounts_path}[{i}]")
            for i, a in enumerate(self.items(ou.get("accounts")))
        )
        children_path = _join(path, "organizational_units")
        children = tuple(
            self.organizational_unit(c, f"{children_path}[{i}]", depth=depth + 1)
            for i, c in enumerate(self.items(ou.get("organizational_units")))
        )
        return OrganizationalUnit(
            name=str(ou["name"]),
            accounts=accounts,
            organizational_units=children,
            service_control_policies=scps,
        )

    def account(
        self, account: Mapping[str, Any], path: str, *, management: bool = False
    ) -> Account:
        account_id = self.account_id(account["id"])
        self.claim(account_id, _join(path, "id"))
        name = account.get("name", "management" if management else f"account-{account_id}")
        return Account(
            id=account_id,
            name=str(name),
            email=account.get("email"),
            state=str(account.get("state", "ACTIVE")),
            root_credentials=self.root_credentials(
                account.get("root_credentials"), _join(path, "root_credentials")
            ),
            scp_deny=tuple(self.items(account.get("scp_deny"))),
            service_control_policies=self.scps(
                account.get("service_control_policies"), _join(path, "service_control_policies")
            ),
            buckets=tuple(
                self.bucket(b, f"{_join(path, 'buckets')}[{i}]")
                for i, b in enumerate(self.items(account.get("buckets")))
            ),
            queues=tuple(
                self.queue(q, f"{_join(path, 'queues')}[{i}]")
                for i, q in enumerate(self.items(account.get("queues")))
            ),
        )

    def bucket(self, data: Any, path: str) -> Bucket:
        item = {"name": data} if isinstance(data, str) else data
        name = str(item["name"])
        if name in self.seen_buckets:
            raise self.fail(
                _join(path, "name"),
                f"{name!r} already appears at {self.seen_buckets[name]} (bucket names are global)",
            )
        self.seen_buckets[name] = _join(path, "name")
        policy = item.get("policy")
        return Bucket(
            name=name,
            region=item.get("region"),
            policy=None if policy is None else self.document(policy, _join(path, "policy")),
        )

    def queue(self, data: Any, path: str) -> Queue:
        item = {"name": data} if isinstance(data, str) else data
        policy = item.get("policy")
        return Queue(
            name=str(item["name"]),
            region=item.get("region"),
            policy=None if policy is None else self.document(policy, _join(path, "policy")),
        )

    def root_credentials(self, creds: Any, path: str) -> RootCredentials:
        if creds is None:
            return RootCredentials()
        keys_path = _join(path, "access_keys")
        return RootCredentials(
            password=bool(creds.get("password", False)),
            access_keys=tuple(
                self.access_key(k, f"{keys_path}[{i}]")
                for i, k in enumerate(self.items(creds.get("access_keys")))
            ),
            signing_certificates=int(creds.get("signing_certificates") or 0),
            mfa_devices=tuple(self.items(creds.get("mfa_devices"))),
        )

    def access_key(self, key: Mapping[str, Any], path: str) -> AccessKey:
        last_used: AccessKeyLastUsed | None = None
        used = key.get("last_used")
        if used is not None:
            used_path = _join(path, "last_used")
            last_used = AccessKeyLastUsed(
                date=self.timestamp(used["date"], _join(used_path, "date")),
                service=str(used["service"]),
                region=str(used["region"]),
            )
        return AccessKey(status=str(key.get("status", "Active")), last_used=last_used)

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
