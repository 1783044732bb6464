"""Stand-in for ``hashicorp/aws``: the resources and data sources root-access uses.

Resources: ``aws_iam_organizations_features``, ``aws_organizations_delegated_administrator``.
Data sources: ``aws_caller_identity``, ``aws_organizations_organization``,
``aws_organizations_organizational_unit``. Schemas (names, types, required / optional /
computed / sensitive, set vs list) follow the real provider 6.x; a parity test compares
them with the schema carried by ``cdktn-provider-aws`` (tests/offline/fixtures).

Every call goes through boto3, so the usual AWS environment applies, including
``AWS_ENDPOINT_URL`` / ``AWS_ENDPOINT_URL_<SERVICE>`` (as the real provider honours, see
its "Custom Service Endpoints" guide) and the provider's ``endpoints {}`` block. Retries
use botocore's ``standard`` mode (``retry_mode`` / ``max_retries`` override it).

Behaviour sources: the provider source (internal/service/iam/organizations_features.go,
internal/service/organizations/delegated_administrator.go; docs/offline-terraform.md) and
registry.terraform.io/providers/hashicorp/aws/latest/docs
(resources/iam_organizations_features, resources/organizations_delegated_administrator,
data-sources/caller_identity, data-sources/organizations_organization).
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from botocore.config import Config as BotoConfig
from botocore.exceptions import BotoCoreError, ClientError
from tf import runner, schema, types
from tf.iface import (
    Config,
    CreateContext,
    DataSource,
    DeleteContext,
    ImportContext,
    ReadContext,
    ReadDataContext,
    Resource,
    State,
    UpdateContext,
)
from tf.provider import Provider
from tf.utils import Diagnostics

from terraform_offline.providers._schema import ListNestedBlock, Object

if TYPE_CHECKING:
    import boto3

__all__ = [
    "ENDPOINT_SERVICES",
    "FEATURES",
    "AwsProvider",
    "CallerIdentityDataSource",
    "DelegatedAdministratorResource",
    "IamOrganizationsFeaturesResource",
    "OrganizationDataSource",
    "OrganizationalUnitDataSource",
    "main",
]

FEATURES = {
    "RootCredentialsManagement": "OrganizationsRootCredentialsManagement",
    "RootSessions": "OrganizationsRootSessions",
}
"""``enabled_features`` values -> IAM ``Enable<...>`` / ``Disable<...>`` operation suffix."""

ENDPOINT_SERVICES = ("iam", "organizations", "s3", "sqs", "sts")
"""Services accepted in the ``endpoints {}`` block (the real one has ~300)."""

_AWS_ERRORS = (ClientError, BotoCoreError)
_SERVICE_PRINCIPAL_MAX = 128

S = types.String
B = types.Bool
N = types.Number


def _attr(name: str, kind: types.TfType, **flags: bool) -> schema.Attribute:
    return schema.Attribute(name, kind, **flags)


def _rfc3339(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return str(value)


def _error_code(exc: BaseException) -> str:
    if isinstance(exc, ClientError):
        return str(exc.response.get("Error", {}).get("Code", ""))
    return ""


def _fail(diags: Diagnostics, summary: str, exc: BaseException) -> None:
    diags.add_error(summary, str(exc))


# --------------------------------------------------------------------------- provider


def _provider_schema() -> schema.Schema:
    optional = {"optional": True}
    strings = [
        "access_key",
        "custom_ca_bundle",
        "ec2_metadata_service_endpoint",
        "ec2_metadata_service_endpoint_mode",
        "http_proxy",
        "https_proxy",
        "no_proxy",
        "profile",
        "region",
        "retry_mode",
        "s3_us_east_1_regional_endpoint",
        "secret_key",
        "skip_metadata_api_check",
        "sts_region",
        "tag_policy_compliance",
        "token",
    ]
    attributes = [_attr(name, S(), **optional) for name in strings]
    attributes += [
        _attr(name, B(), **optional)
        for name in (
            "insecure",
            "s3_use_path_style",
            "skip_credentials_validation",
            "skip_region_validation",
            "skip_requesting_account_id",
            "use_dualstack_endpoint",
            "use_fips_endpoint",
        )
    ]
    attributes += [
        _attr("max_retries", N(), **optional),
        _attr("token_bucket_rate_limiter_capacity", N(), **optional),
        _attr("allowed_account_ids", types.Set(S()), **optional),
        _attr("forbidden_account_ids", types.Set(S()), **optional),
        _attr("shared_config_files", types.List(S()), **optional),
        _attr("shared_credentials_files", types.List(S()), **optional),
        _attr("user_agent", types.List(S()), **optional),
    ]
    attributes.sort(key=lambda a: a.name)
    assume_role = schema.Block(
        attributes=[
            _attr("duration", S(), optional=True),
            _attr("external_id", S(), optional=True),
            _attr("policy", S(), optional=True),
            _attr("policy_arns", types.Set(S()), optional=True),
            _attr("role_arn", S(), optional=True),
            _attr("session_name", S(), optional=True),
            _attr("source_identity", S(), optional=True),
            _attr("tags", types.Map(S()), optional=True),
            _attr("transitive_tag_keys", types.Set(S()), optional=True),
        ]
    )
    default_tags = schema.Block(attributes=[_attr("tags", types.Map(S()), optional=True)])
    ignore_tags = schema.Block(
        attributes=[
            _attr("key_prefixes", types.Set(S()), optional=True),
            _attr("keys", types.Set(S()), optional=True),
        ]
    )
    endpoints = schema.Block(
        attributes=[_attr(name, S(), optional=True) for name in ENDPOINT_SERVICES]
    )
    from tf.blocks import SetNestedBlock

    return schema.Schema(
        version=0,
        attributes=attributes,
        block_types=[
            ListNestedBlock("assume_role", assume_role),
            ListNestedBlock("default_tags", default_tags, max_items=1),
            SetNestedBlock("endpoints", endpoints),
            ListNestedBlock("ignore_tags", ignore_tags, max_items=1),
        ],
    )


class AwsProvider(Provider):
    """``registry.terraform.io/hashicorp/aws`` stand-in; one process per provider config."""

    def __init__(self) -> None:
        self.session: boto3.Session | None = None
        self.endpoints: dict[str, str] = {}
        self.boto_config = BotoConfig(retries={"mode": "standard"})

    def get_model_prefix(self) -> str:
        return "aws_"

    def full_name(self) -> str:
        return "registry.terraform.io/hashicorp/aws"

    def get_provider_schema(self, diags: Diagnostics) -> schema.Schema:
        return _provider_schema()

    def validate_config(self, diags: Diagnostics, config: Config) -> None:
        return None

    def configure_provider(self, diags: Diagnostics, config: Config) -> None:
        def known(name: str, source: dict[str, Any] = config) -> Any:
            value = source.get(name)
            return None if value is types.Unknown else value

        import boto3  # here, not at import: schema-only starts of the provider stay fast

        credentials = {
            "aws_access_key_id": known("access_key"),
            "aws_secret_access_key": known("secret_key"),
            "aws_session_token": known("token"),
        }
        try:
            session = boto3.Session(
                profile_name=known("profile"),
                region_name=known("region"),
                **{k: v for k, v in credentials.items() if v},
            )
        except _AWS_ERRORS as exc:  # ProfileNotFound and other shared-config problems
            _fail(diags, f"failed to get shared config profile, {known('profile')}", exc)
            return
        if session.region_name is None:
            diags.add_error(
                "missing region",
                "The AWS stand-in needs a region: set the provider's `region` or AWS_REGION.",
            )
            return
        retries: dict[str, Any] = {"mode": known("retry_mode") or "standard"}
        if known("max_retries") is not None:
            retries["max_attempts"] = int(known("max_retries")) + 1
        self.boto_config = BotoConfig(retries=retries)  # type: ignore[arg-type]
        for block in config.get("endpoints") or []:
            for service in ENDPOINT_SERVICES:
                url = known(service, block)
                if url:
                    self.endpoints[service] = url
        for block in config.get("assume_role") or []:
            role_arn = known("role_arn", block)
            if role_arn:
                assumed = self._assume_role(diags, session, block, role_arn)
                if assumed is None:
                    return
                session = assumed
        self.session = session
        if known("skip_credentials_validation") and known("skip_requesting_account_id"):
            return
        try:
            account = self.client("sts").get_caller_identity()["Account"]
        except _AWS_ERRORS as exc:
            _fail(diags, "validating provider credentials", exc)
            return
        allowed = known("allowed_account_ids")
        forbidden = known("forbidden_account_ids")
        if (allowed and account not in allowed) or (forbidden and account in forbidden):
            diags.add_error("AWS account ID not allowed", f"AWS account ID not allowed: {account}")

    def _assume_role(
        self, diags: Diagnostics, session: boto3.Session, block: dict[str, Any], role_arn: str
    ) -> boto3.Session | None:
        request: dict[str, Any] = {
            "RoleArn": role_arn,
            "RoleSessionName": block.get("session_name") or "terraform-offline",
        }
        for key, name in (
            ("ExternalId", "external_id"),
            ("Policy", "policy"),
            ("SourceIdentity", "source_identity"),
        ):
            if block.get(name):
                request[key] = block[name]
        if block.get("policy_arns"):
            request["PolicyArns"] = [{"arn": arn} for arn in block["policy_arns"]]
        try:
            credentials = self._client(session, "sts").assume_role(**request)["Credentials"]
        except _AWS_ERRORS as exc:
            _fail(diags, f"assuming role {role_arn}", exc)
            return None
        return type(session)(
            aws_access_key_id=credentials["AccessKeyId"],
            aws_secret_access_key=credentials["SecretAccessKey"],
            aws_session_token=credentials["SessionToken"],
            region_name=session.region_name,
        )

    def _client(self, session: boto3.Session, service: str) -> Any:
        return session.client(
            service,  # type: ignore[call-overload]
            endpoint_url=self.endpoints.get(service),
            config=self.boto_config,
        )

    def client(self, service: str) -> Any:
        """A boto3 client for ``service`` with this provider's credentials and endpoints."""
        if self.session is None:
            raise RuntimeError("provider not configured")
        return self._client(self.session, service)

    def get_data_sources(self) -> list[type[DataSource]]:
        return [CallerIdentityDataSource, OrganizationDataSource, OrganizationalUnitDataSource]

    def get_resources(self) -> list[type[Resource]]:
        from terraform_offline.providers.aws_organizations_policy import (
            OrganizationsPolicyAttachmentResource,
            OrganizationsPolicyResource,
        )

        return [
            IamOrganizationsFeaturesResource,
            DelegatedAdministratorResource,
            OrganizationsPolicyResource,
            OrganizationsPolicyAttachmentResource,
        ]


class _Base:
    def __init__(self, provider: AwsProvider) -> None:
        self.provider = provider


# --------------------------------------------------------------------------- resources


class IamOrganizationsFeaturesResource(_Base, Resource):
    """``aws_iam_organizations_features``: the organization's centralized root access.

    Follows ``internal/service/iam/organizations_features.go``: create calls Enable for
    every planned feature (no list first), then lists once and takes ``id`` from the
    organization id; update enables and disables only the difference; read lists, drops
    the resource when the organization is gone or no feature is enabled, fills
    ``enabled_features`` and never rewrites ``id``; delete disables the features in
    state; import (``WithImportByID``) accepts any id and keeps it.
    """

    @classmethod
    def get_name(cls) -> str:
        return "iam_organizations_features"

    @classmethod
    def get_schema(cls) -> schema.Schema:
        return schema.Schema(
            version=0,
            attributes=[
                _attr("enabled_features", types.Set(S()), required=True),
                _attr("id", S(), computed=True),
            ],
        )

    def validate(self, diags: Diagnostics, type_name: str, config: Config) -> None:
        super().validate(diags, type_name, config)
        features = config.get("enabled_features")
        if features is None or features is types.Unknown:
            return
        for feature in features:
            if feature is not types.Unknown and feature not in FEATURES:
                diags.add_error(
                    "Invalid Attribute Value Match",
                    f'Attribute enabled_features[Value("{feature}")] value must be one of: '
                    + "["
                    + " ".join(f'"{f}"' for f in FEATURES)
                    + f'], got: "{feature}"',
                    path=["enabled_features"],
                )

    def _list(self) -> tuple[str, list[str]]:
        out = self.provider.client("iam").list_organizations_features()
        return str(out.get("OrganizationId", "")), list(out.get("EnabledFeatures") or [])

    def _change(self, enable: set[str], disable: set[str]) -> None:
        iam = self.provider.client("iam")
        for feature in sorted(enable):
            getattr(iam, f"enable_{_snake(FEATURES[feature])}")()
        for feature in sorted(disable):
            getattr(iam, f"disable_{_snake(FEATURES[feature])}")()

    def create(self, ctx: CreateContext, planned: State) -> State | None:
        wanted = set(planned["enabled_features"] or [])
        try:
            self._change(wanted, set())
        except _AWS_ERRORS as exc:
            _fail(ctx.diagnostics, "creating IAM Organizations Features", exc)
            return None
        try:
            organization_id, enabled = self._list()
        except _AWS_ERRORS as exc:
            _fail(ctx.diagnostics, "reading IAM Organizations Features", exc)
            return None
        if not enabled:
            ctx.diagnostics.add_error("reading IAM Organizations Features", "empty result")
            return None
        return {**planned, "id": organization_id}

    def read(self, ctx: ReadContext, current: State) -> State | None:
        try:
            _, enabled = self._list()
        except _AWS_ERRORS as exc:
            if _error_code(exc) == "OrganizationNotFoundException":
                return None
            _fail(ctx.diagnostics, f"reading IAM Organizations Features ({current['id']})", exc)
            return current
        if not enabled:
            return None
        return {**current, "enabled_features": sorted(enabled)}

    def update(self, ctx: UpdateContext, current: State, planned: State) -> State | None:
        before = set(current["enabled_features"] or [])
        after = set(planned["enabled_features"] or [])
        try:
            self._change(after - before, before - after)
        except _AWS_ERRORS as exc:
            _fail(ctx.diagnostics, f"updating IAM Organizations Features ({current['id']})", exc)
            return current
        return {**planned, "id": current["id"]}

    def delete(self, ctx: DeleteContext, current: State) -> None:
        try:
            self._change(set(), set(current["enabled_features"] or []))
        except _AWS_ERRORS as exc:
            _fail(ctx.diagnostics, f"deleting IAM Organizations Features ({current['id']})", exc)

    def import_(self, ctx: ImportContext, import_id: str) -> State | None:
        # WithImportByID: the id is taken as given; Terraform's read after the import
        # fills enabled_features, or reports a non-existent object when none is enabled.
        return {"id": import_id, "enabled_features": None}


def _snake(name: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in name).lstrip("_")


_DELEGATED_COMPUTED = (
    ("arn", "Arn"),
    ("delegation_enabled_date", "DelegationEnabledDate"),
    ("email", "Email"),
    ("joined_method", "JoinedMethod"),
    ("joined_timestamp", "JoinedTimestamp"),
    ("name", "Name"),
    ("status", "Status"),
)


class DelegatedAdministratorResource(_Base, Resource):
    """``aws_organizations_delegated_administrator``: ``id`` = ``<account_id>/<service>``.

    Follows ``internal/service/organizations/delegated_administrator.go``: ``account_id``
    must be 12 digits (``verify.ValidAccountID``) and ``service_principal`` 1-128
    characters; create registers and reads back (not found is an error then); read and
    delete parse ``id`` strictly (two non-empty parts around one ``/``); read removes the
    resource when the account is not listed and fails on any other error; delete treats
    ``AccountNotRegisteredException`` as done; import passes the id through to read.
    """

    @classmethod
    def get_name(cls) -> str:
        return "organizations_delegated_administrator"

    @classmethod
    def get_schema(cls) -> schema.Schema:
        attributes = [
            _attr("account_id", S(), required=True),
            _attr("id", S(), optional=True, computed=True),
            _attr("service_principal", S(), required=True),
        ]
        attributes += [_attr(name, S(), computed=True) for name, _ in _DELEGATED_COMPUTED]
        for attribute in attributes:
            if attribute.name in ("account_id", "service_principal"):
                attribute.requires_replace = True
        attributes.sort(key=lambda a: a.name)
        return schema.Schema(version=0, attributes=attributes)

    def validate(self, diags: Diagnostics, type_name: str, config: Config) -> None:
        super().validate(diags, type_name, config)
        account_id = config.get("account_id")
        if isinstance(account_id, str) and re.fullmatch(r"\d{12}", account_id) is None:
            diags.add_error(
                f'"account_id" doesn\'t look like AWS Account ID (exactly 12 digits): '
                f'"{account_id}"',
                "",
                path=["account_id"],
            )
        service = config.get("service_principal")
        if isinstance(service, str) and not 1 <= len(service) <= _SERVICE_PRINCIPAL_MAX:
            diags.add_error(
                "expected length of service_principal to be in the range "
                f"(1 - {_SERVICE_PRINCIPAL_MAX}), got {service}",
                "",
                path=["service_principal"],
            )

    def _find(self, account_id: str, service_principal: str) -> dict[str, Any] | None:
        organizations = self.provider.client("organizations")
        pages = organizations.get_paginator("list_delegated_administrators").paginate(
            ServicePrincipal=service_principal
        )
        for page in pages:
            for account in page.get("DelegatedAdministrators", []):
                if account.get("Id") == account_id:
                    return dict(account)
        return None

    @staticmethod
    def _state(account_id: str, service_principal: str, found: dict[str, Any]) -> State:
        state: State = {
            "account_id": account_id,
            "service_principal": service_principal,
            "id": f"{account_id}/{service_principal}",
        }
        for name, key in _DELEGATED_COMPUTED:
            state[name] = _rfc3339(found.get(key))
        return state

    def create(self, ctx: CreateContext, planned: State) -> State | None:
        account_id, service = planned["account_id"], planned["service_principal"]
        summary = f"creating Organizations Delegated Administrator ({account_id}/{service})"
        try:
            self.provider.client("organizations").register_delegated_administrator(
                AccountId=account_id, ServicePrincipal=service
            )
            found = self._find(account_id, service)
        except _AWS_ERRORS as exc:
            _fail(ctx.diagnostics, summary, exc)
            return None
        if found is None:
            ctx.diagnostics.add_error(summary, "not found after registration")
            return None
        return self._state(account_id, service, found)

    def read(self, ctx: ReadContext, current: State) -> State | None:
        parsed = _parse_delegated_id(ctx.diagnostics, str(current.get("id") or ""))
        if parsed is None:
            return current
        account_id, service = parsed
        try:
            found = self._find(account_id, service)
        except _AWS_ERRORS as exc:
            summary = f"reading Organizations Delegated Administrator ({current['id']})"
            _fail(ctx.diagnostics, summary, exc)
            return current
        return None if found is None else self._state(account_id, service, found)

    def update(self, ctx: UpdateContext, current: State, planned: State) -> State | None:
        return {**current, "id": planned.get("id") or current["id"]}

    def delete(self, ctx: DeleteContext, current: State) -> None:
        parsed = _parse_delegated_id(ctx.diagnostics, str(current.get("id") or ""))
        if parsed is None:
            return
        account_id, service = parsed
        try:
            self.provider.client("organizations").deregister_delegated_administrator(
                AccountId=account_id, ServicePrincipal=service
            )
        except _AWS_ERRORS as exc:
            if _error_code(exc) == "AccountNotRegisteredException":
                return
            _fail(
                ctx.diagnostics,
                f"deleting Organizations Delegated Administrator ({current['id']})",
                exc,
            )

    def import_(self, ctx: ImportContext, import_id: str) -> State | None:
        # ImportStatePassthroughContext: the id as given; Terraform's read after the
        # import parses it and fetches the rest (or reports a non-existent object).
        state: State = {"id": import_id, "account_id": None, "service_principal": None}
        for name, _ in _DELEGATED_COMPUTED:
            state[name] = None
        return state


def _parse_delegated_id(diags: Diagnostics, resource_id: str) -> tuple[str, str] | None:
    """``delegatedAdministratorParseResourceID``: ``ACCOUNTID/SERVICEPRINCIPAL`` or an error."""
    parts = resource_id.split("/")
    if len(parts) == 2 and parts[0] and parts[1]:
        return parts[0], parts[1]
    diags.add_error(
        f"unexpected format for ID ({resource_id}), expected ACCOUNTID/SERVICEPRINCIPAL", ""
    )
    return None


# --------------------------------------------------------------------------- data sources


class CallerIdentityDataSource(_Base, DataSource):
    """``data "aws_caller_identity"``: STS GetCallerIdentity (``id`` = account id)."""

    @classmethod
    def get_name(cls) -> str:
        return "caller_identity"

    @classmethod
    def get_schema(cls) -> schema.Schema:
        return schema.Schema(
            version=0,
            attributes=[
                _attr("account_id", S(), computed=True),
                _attr("arn", S(), computed=True),
                _attr("id", S(), optional=True, computed=True),
                _attr("user_id", S(), computed=True),
            ],
        )

    def read(self, ctx: ReadDataContext, config: Config) -> State | None:
        try:
            out = self.provider.client("sts").get_caller_identity()
        except _AWS_ERRORS as exc:
            _fail(ctx.diagnostics, "reading AWS Caller Identity", exc)
            return None
        return {
            "account_id": out["Account"],
            "arn": out["Arn"],
            "id": out["Account"],
            "user_id": out["UserId"],
        }


_ACCOUNT = Object(
    {
        k: S()
        for k in (
            "arn",
            "email",
            "id",
            "joined_method",
            "joined_timestamp",
            "name",
            "state",
            "status",
        )
    }
)
_ROOT = Object(
    {
        "arn": S(),
        "id": S(),
        "name": S(),
        "policy_types": types.List(Object({"status": S(), "type": S()})),
    }
)


def _account(account: dict[str, Any]) -> dict[str, Any]:
    return {
        "arn": account.get("Arn"),
        "email": account.get("Email"),
        "id": account.get("Id"),
        "joined_method": account.get("JoinedMethod"),
        "joined_timestamp": _rfc3339(account.get("JoinedTimestamp")),
        "name": account.get("Name"),
        "state": account.get("State"),
        "status": account.get("Status"),
    }


def _paginate(client: Any, operation: str, key: str, **kwargs: Any) -> Iterator[dict[str, Any]]:
    for page in client.get_paginator(operation).paginate(**kwargs):
        yield from page.get(key, [])


class OrganizationDataSource(_Base, DataSource):
    """``data "aws_organizations_organization"``: the caller's organization.

    Accounts and roots are listed for the management account and delegated
    administrators (an ``AccessDeniedException`` from ListAccounts means "neither");
    service access principals and enabled policy types for the management account only.
    """

    @classmethod
    def get_name(cls) -> str:
        return "organizations_organization"

    @classmethod
    def get_schema(cls) -> schema.Schema:
        computed = {"computed": True}
        return schema.Schema(
            version=0,
            attributes=[
                _attr("accounts", types.List(_ACCOUNT), **computed),
                _attr("arn", S(), **computed),
                _attr("aws_service_access_principals", types.Set(S()), **computed),
                _attr("enabled_policy_types", types.Set(S()), **computed),
                _attr("feature_set", S(), **computed),
                _attr("id", S(), optional=True, computed=True),
                _attr("master_account_arn", S(), **computed),
                _attr("master_account_email", S(), **computed),
                _attr("master_account_id", S(), **computed),
                _attr("master_account_name", S(), **computed),
                _attr("non_master_accounts", types.List(_ACCOUNT), **computed),
                _attr("return_organization_only", B(), optional=True),
                _attr("roots", types.List(_ROOT), **computed),
            ],
        )

    def read(self, ctx: ReadDataContext, config: Config) -> State | None:
        organizations = self.provider.client("organizations")
        state: State = {
            "accounts": None,
            "aws_service_access_principals": None,
            "enabled_policy_types": None,
            "non_master_accounts": None,
            "return_organization_only": config.get("return_organization_only"),
            "roots": None,
        }
        try:
            organization = organizations.describe_organization()["Organization"]
            caller = self.provider.client("sts").get_caller_identity()["Account"]
        except _AWS_ERRORS as exc:
            _fail(ctx.diagnostics, "reading Organizations Organization", exc)
            return None
        management = organization.get("MasterAccountId")
        state.update(
            arn=organization.get("Arn"),
            feature_set=organization.get("FeatureSet"),
            id=organization.get("Id"),
            master_account_arn=organization.get("MasterAccountArn"),
            master_account_email=organization.get("MasterAccountEmail"),
            master_account_id=management,
            master_account_name=None,
        )
        if config.get("return_organization_only"):
            return state
        is_management = caller == management
        try:
            accounts = [_account(a) for a in _paginate(organizations, "list_accounts", "Accounts")]
        except _AWS_ERRORS as exc:
            if is_management or _error_code(exc) != "AccessDeniedException":
                _fail(ctx.diagnostics, "reading Organizations Accounts", exc)
                return None
            return state
        try:
            roots = list(_paginate(organizations, "list_roots", "Roots"))
            principals = (
                sorted(
                    p["ServicePrincipal"]
                    for p in _paginate(
                        organizations,
                        "list_aws_service_access_for_organization",
                        "EnabledServicePrincipals",
                    )
                )
                if is_management
                else None
            )
        except _AWS_ERRORS as exc:
            _fail(ctx.diagnostics, "reading Organizations Organization", exc)
            return None
        management_name = next((a["name"] for a in accounts if a["id"] == management), None)
        state.update(
            accounts=accounts,
            non_master_accounts=[a for a in accounts if a["id"] != management],
            master_account_name=management_name,
            roots=[
                {
                    "arn": root.get("Arn"),
                    "id": root.get("Id"),
                    "name": root.get("Name"),
                    "policy_types": [
                        {"status": p.get("Status"), "type": p.get("Type")}
                        for p in root.get("PolicyTypes", [])
                    ],
                }
                for root in roots
            ],
        )
        if is_management:
            state["aws_service_access_principals"] = principals
            state["enabled_policy_types"] = sorted(
                {
                    p.get("Type")
                    for root in roots
                    for p in root.get("PolicyTypes", [])
                    if p.get("Status") == "ENABLED"
                }
            )
        return state


class OrganizationalUnitDataSource(_Base, DataSource):
    """``data "aws_organizations_organizational_unit"``: an OU by ``parent_id`` and ``name``."""

    @classmethod
    def get_name(cls) -> str:
        return "organizations_organizational_unit"

    @classmethod
    def get_schema(cls) -> schema.Schema:
        return schema.Schema(
            version=0,
            attributes=[
                _attr("arn", S(), computed=True),
                _attr("id", S(), optional=True, computed=True),
                _attr("name", S(), required=True),
                _attr("parent_id", S(), required=True),
            ],
        )

    def read(self, ctx: ReadDataContext, config: Config) -> State | None:
        name, parent_id = config["name"], config["parent_id"]
        try:
            units = _paginate(
                self.provider.client("organizations"),
                "list_organizational_units_for_parent",
                "OrganizationalUnits",
                ParentId=parent_id,
            )
            found = next((u for u in units if u.get("Name") == name), None)
        except _AWS_ERRORS as exc:
            _fail(ctx.diagnostics, "reading Organizations Organizational Unit", exc)
            return None
        if found is None:
            ctx.diagnostics.add_error(
                "reading Organizations Organizational Unit",
                f"Organizations Organizational Unit ({name}) in {parent_id}: empty result",
            )
            return None
        return {"arn": found["Arn"], "id": found["Id"], "name": name, "parent_id": parent_id}


def main() -> None:
    """Serve the provider (Terraform starts this through the mirror's launcher)."""
    runner.run_provider(AwsProvider(), sys.argv)


if __name__ == "__main__":
    main()
