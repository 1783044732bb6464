"""Preflight: is this caller, organization and region ready for a root task?

Runs before any change (and as ``root-access status``). Calls, all read-only:
``sts:GetCallerIdentity``, ``organizations:DescribeOrganization``,
``organizations:ListAWSServiceAccessForOrganization`` (tolerated when denied),
``iam:ListOrganizationsFeatures`` and ``organizations:ListDelegatedAdministrators``
(tolerated when denied). Sources: IAM User Guide ``id_root-user.html``
(centralized root access) and the IAM API Reference of ``ListOrganizationsFeatures``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import boto3
from botocore.exceptions import ClientError

from root_access.arns import is_root_arn, partition_of
from root_access.clients import (
    check_sts_endpoint,
    iam_client,
    organizations_client,
    resolve_region,
    sts_client,
)
from root_access.errors import PreflightError, error_code, error_message, has_code
from root_access.tasks import FEATURES, ROOT_CREDENTIALS_MANAGEMENT, ROOT_SESSIONS, RootTask

if TYPE_CHECKING:
    from mypy_boto3_organizations import OrganizationsClient

__all__ = ["IAM_SERVICE_PRINCIPAL", "STATED_FEATURE_GATES", "Preflight", "preflight", "require"]

IAM_SERVICE_PRINCIPAL = "iam.amazonaws.com"

STATED_FEATURE_GATES: dict[RootTask, str] = {
    RootTask.DELETE_CREDENTIALS: ROOT_CREDENTIALS_MANAGEMENT,
    RootTask.CREATE_PASSWORD: ROOT_SESSIONS,
}
"""The feature gates AWS states (IAM User Guide ``id_root-enable-root-access.html``):
``RootCredentialsManagement`` lets the management account and the delegated administrator
delete root credentials; ``RootSessions`` (privileged root actions) lets member accounts
recover root credentials. Which feature gates the audit and the S3/SQS unlocks is not
stated (reference §10): :func:`require` only warns about those and lets AssumeRoot decide."""

ENABLE_TRUSTED_ACCESS = (
    "run `root-access enable --trusted-access` from the management account or "
    "`aws organizations enable-aws-service-access --service-principal iam.amazonaws.com`"
)


@dataclass(frozen=True)
class Preflight:
    """What preflight found.

    - ``caller_arn``, ``caller_account_id``: from ``GetCallerIdentity``.
    - ``partition``: from the caller ARN (``aws``, ``aws-cn``, ``aws-us-gov``).
    - ``region``: the resolved region (STS goes to its regional endpoint).
    - ``organization_id``, ``management_account_id``, ``feature_set`` (``ALL`` or
      ``CONSOLIDATED_BILLING``): from ``DescribeOrganization``.
    - ``trusted_access``: trusted access for ``iam.amazonaws.com``; ``None`` when it
      could not be read (the delegated administrator may not list service access).
    - ``enabled_features``: ``RootCredentialsManagement`` / ``RootSessions`` enabled;
      ``None`` when unreadable.
    - ``caller_role``: ``management`` | ``delegated_administrator`` | ``member``.
    - ``delegated_administrators``: IAM delegated administrator account ids, when readable.
    """

    caller_arn: str
    caller_account_id: str
    partition: str
    region: str
    organization_id: str
    management_account_id: str
    feature_set: str
    trusted_access: bool | None
    enabled_features: tuple[str, ...] | None
    caller_role: str
    delegated_administrators: tuple[str, ...] | None = None

    def task_policy_arn(self, task: RootTask) -> str:
        """``arn:<partition>:iam::aws:policy/root-task/<task>`` in the caller's partition."""
        return task.policy_arn(self.partition)

    def to_dict(self) -> dict[str, Any]:
        """JSON shape: every field; lists for tuples."""
        return {
            "caller_arn": self.caller_arn,
            "caller_account_id": self.caller_account_id,
            "partition": self.partition,
            "region": self.region,
            "organization_id": self.organization_id,
            "management_account_id": self.management_account_id,
            "feature_set": self.feature_set,
            "trusted_access": self.trusted_access,
            "enabled_features": (
                list(self.enabled_features) if self.enabled_features is not None else None
            ),
            "caller_role": self.caller_role,
            "delegated_administrators": (
                list(self.delegated_administrators)
                if self.delegated_administrators is not None
                else None
            ),
        }


def _denied(error: ClientError) -> bool:
    return has_code(error, "AccessDenied", "AccessDeniedException", "AccessDeniedForDependency")


def preflight(
    session: boto3.Session, *, region: str | None = None, task: RootTask | None = None
) -> Preflight:
    """Check the caller and the organization; with ``task``, check they can run it.

    Always raises :class:`PreflightError` (``case`` = field case id) when the caller is
    a root user (STS-CALLER-IS-ROOT) or the account is not in an organization. With a
    ``task`` it also requires all features, trusted access for ``iam.amazonaws.com``
    (ORG-TRUSTED-ACCESS), the management account or the IAM delegated administrator as
    caller (ORG-WRONG-CALLER), and the feature the task needs (ORG-FEATURE-PARTIAL).
    Raises :class:`UsageError` when no region can be resolved or the STS endpoint
    override names another region (:func:`root_access.clients.check_sts_endpoint`).
    """
    resolved = resolve_region(session, region)
    check_sts_endpoint(resolved)
    identity = sts_client(session, resolved).get_caller_identity()
    caller_arn = identity["Arn"]
    if is_root_arn(caller_arn):
        raise PreflightError(
            "STS-CALLER-IS-ROOT",
            f"the caller {caller_arn} is a root user, which cannot call sts:AssumeRoot: "
            "use an IAM role or user in the management account or the IAM delegated "
            "administrator",
        )
    partition = partition_of(caller_arn)
    caller_account = identity["Account"]
    organizations = organizations_client(session, resolved)
    try:
        organization = organizations.describe_organization()["Organization"]
    except ClientError as error:
        if has_code(error, "AWSOrganizationsNotInUse"):
            raise PreflightError(
                "ORG-NOT-IN-USE",
                f"account {caller_account} is not in an organization: run from the "
                "management account of an AWS Organization",
            ) from None
        if _denied(error):
            raise PreflightError(
                "ORG-WRONG-CALLER",
                f"{caller_arn} may not call organizations:DescribeOrganization: "
                "grant it to the pipeline role",
            ) from None
        raise
    management = organization["MasterAccountId"]
    feature_set = organization.get("FeatureSet", "ALL")
    trusted = _trusted_access(organizations)
    features, feature_error = _features(session, resolved)
    if feature_error == "ServiceAccessNotEnabled":
        trusted = False
    elif features is not None and trusted is None:
        trusted = True
    delegated = _delegated_administrators(organizations)
    if caller_account == management:
        role = "management"
    elif delegated is not None:
        role = "delegated_administrator" if caller_account in delegated else "member"
    elif feature_error in ("AccountNotManagementOrDelegatedAdministrator",):
        role = "member"
    else:
        role = "delegated_administrator" if features is not None else "member"
    result = Preflight(
        caller_arn=caller_arn,
        caller_account_id=caller_account,
        partition=partition,
        region=resolved,
        organization_id=organization["Id"],
        management_account_id=management,
        feature_set=feature_set,
        trusted_access=trusted,
        enabled_features=features,
        caller_role=role,
        delegated_administrators=delegated,
    )
    if task is not None:
        require(result, task)
    return result


def require(result: Preflight, task: RootTask) -> tuple[str, ...]:
    """Raise :class:`PreflightError` unless ``result`` allows running ``task``.

    Returns warnings (one line each): a feature the task is only assumed to need
    (:data:`STATED_FEATURE_GATES` lists the gates AWS states) that is not enabled. The
    run goes on and AssumeRoot decides.
    """
    if result.feature_set != "ALL":
        raise PreflightError(
            "ORG-ALL-FEATURES",
            f"organization {result.organization_id} does not use all features: enable all "
            "features in AWS Organizations (centralized root access needs them)",
        )
    if result.caller_role == "member":
        raise PreflightError(
            "ORG-WRONG-CALLER",
            f"account {result.caller_account_id} is neither the management account nor the "
            f"IAM delegated administrator: {task.value} needs one of them (register one with "
            "`root-access enable --delegated-administrator ACCOUNT_ID`)",
        )
    if result.trusted_access is False:
        raise PreflightError(
            "ORG-TRUSTED-ACCESS",
            f"trusted access for iam.amazonaws.com is off: {ENABLE_TRUSTED_ACCESS}",
        )
    needed = task.required_feature
    if result.enabled_features is not None and needed not in result.enabled_features:
        enabled = ", ".join(result.enabled_features) or "none"
        if STATED_FEATURE_GATES.get(task) != needed:
            return (
                f"{task.value} is assumed to need the {needed} feature, which is not enabled "
                f"(enabled: {enabled}); AWS does not state the gate, so the run goes on and "
                f"AssumeRoot decides (`root-access enable --features {needed}` turns it on)",
            )
        raise PreflightError(
            "ORG-FEATURE-PARTIAL",
            f"{task.value} needs the {needed} feature, which is not enabled (enabled: "
            f"{enabled}): run `root-access enable --features {needed}` from the management "
            "account",
        )
    return ()


def _trusted_access(organizations: OrganizationsClient) -> bool | None:
    try:
        paginator = organizations.get_paginator("list_aws_service_access_for_organization")
        for page in paginator.paginate():
            for principal in page.get("EnabledServicePrincipals", []):
                if principal.get("ServicePrincipal") == IAM_SERVICE_PRINCIPAL:
                    return True
    except ClientError as error:
        if _denied(error):
            return None
        raise
    return False


def _features(session: boto3.Session, region: str) -> tuple[tuple[str, ...] | None, str | None]:
    try:
        response = iam_client(session, region).list_organizations_features()
    except ClientError as error:
        code = error_code(error)
        if code == "OrganizationNotInAllFeaturesMode":
            return None, code
        if code == "ServiceAccessNotEnabled":
            return None, code
        if code in ("AccountNotManagementOrDelegatedAdministrator", "OrganizationNotFound"):
            return None, code
        if _denied(error):
            raise PreflightError(
                "ORG-WRONG-CALLER",
                f"iam:ListOrganizationsFeatures denied ({error_message(error)}): grant it to "
                "the pipeline role",
            ) from None
        raise
    enabled = tuple(f for f in FEATURES if f in response.get("EnabledFeatures", []))
    return enabled, None


def _delegated_administrators(organizations: OrganizationsClient) -> tuple[str, ...] | None:
    ids: list[str] = []
    try:
        paginator = organizations.get_paginator("list_delegated_administrators")
        for page in paginator.paginate(ServicePrincipal=IAM_SERVICE_PRINCIPAL):
            ids.extend(a["Id"] for a in page.get("DelegatedAdministrators", []))
    except ClientError as error:
        if _denied(error):
            return None
        raise
    return tuple(ids)
