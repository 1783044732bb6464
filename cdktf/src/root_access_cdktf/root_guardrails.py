"""``RootGuardrails``: the ``modules/root-guardrails`` Terraform module.

Service control policies that keep root access centralized: deny every action by a
member account's root user outside AssumeRoot sessions (``Null`` on ``aws:AssumedRoot``),
and deny ``sts:AssumeRoot`` in the IAM delegated administrator account to every principal
but the named pipeline roles, optionally per task policy (``sts:TaskPolicyArn``).
Source: IAM User Guide, ``reference_policies_condition-keys.html#condition-keys-assumedroot``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from constructs import Construct

from root_access_cdktf._module import RootAccessModule
from root_access_cdktf.validation import (
    ACCOUNT_ID,
    OU_ID,
    PropsError,
    account_id,
    boolean,
    is_token,
    non_empty_string,
    string_list,
)

__all__ = ["ROOT_TASK_POLICIES", "RootGuardrails"]

ROOT_TASK_POLICIES = (
    "IAMAuditRootUserCredentials",
    "IAMCreateRootUserPassword",
    "IAMDeleteRootUserCredentials",
    "S3UnlockBucketPolicy",
    "SQSUnlockQueuePolicy",
)
ROLE_ARN = re.compile(r"^arn:(aws|aws-cn|aws-us-gov|\*):iam::([0-9]{12}|\*):role/.+$")


def _target_ids(values: Sequence[str] | None, where: str) -> list[str]:
    result = string_list(values, where)
    for value in result:
        if is_token(value) or OU_ID.fullmatch(value) or ACCOUNT_ID.fullmatch(value):
            continue
        raise PropsError(
            f"{where}: {value!r} is not a root id (r-xxxx), OU id (ou-xxxx-yyyyyyyy) or "
            "12-digit account id"
        )
    return result


def _role_arns(values: Sequence[str] | None, where: str) -> list[str]:
    result = string_list(values, where)
    for value in result:
        if not is_token(value) and ROLE_ARN.fullmatch(value) is None:
            raise PropsError(
                f"{where}: {value!r} is not an IAM role ARN, e.g. "
                "'arn:aws:iam::333333333333:role/root-access-pipeline'"
            )
    return result


def _task_policies(values: Mapping[str, Sequence[str]] | None, where: str) -> dict[str, list[str]]:
    result: dict[str, list[str]] = {}
    for role, tasks in (values or {}).items():
        names = string_list(tasks, f"{where}[{role!r}]")
        for name in names:
            if not is_token(name) and name not in ROOT_TASK_POLICIES:
                raise PropsError(
                    f"{where}[{role!r}]: {name!r} is not a task policy name; allowed values are "
                    f"{list(ROOT_TASK_POLICIES)}"
                )
        result[role] = names
    return result


class RootGuardrails(RootAccessModule):
    """Attach the root guardrail SCPs (``module.<id>``). Raises ``PropsError`` at
    construction (synth time) for a bad prop."""

    MODULE = "root-guardrails"

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        create: bool | None = None,
        create_deny_root_user_policy: bool | None = None,
        deny_root_user_target_ids: Sequence[str] | None = None,
        create_restrict_assume_root_policy: bool | None = None,
        delegated_administrator_account_id: str | None = None,
        pipeline_role_arns: Sequence[str] | None = None,
        allowed_task_policies: Mapping[str, Sequence[str]] | None = None,
        name_prefix: str | None = None,
        tags: Mapping[str, str] | None = None,
        source: str | None = None,
        providers: Sequence[Any] | None = None,
        depends_on: Sequence[Any] | None = None,
    ) -> None:
        where = type(self).__name__
        variables: dict[str, Any] = {
            "create": boolean(create, f"{where}.create"),
            "create_deny_root_user_policy": boolean(
                create_deny_root_user_policy, f"{where}.create_deny_root_user_policy"
            ),
            "deny_root_user_target_ids": None
            if deny_root_user_target_ids is None
            else _target_ids(deny_root_user_target_ids, f"{where}.deny_root_user_target_ids"),
            "create_restrict_assume_root_policy": boolean(
                create_restrict_assume_root_policy, f"{where}.create_restrict_assume_root_policy"
            ),
            "delegated_administrator_account_id": None
            if delegated_administrator_account_id is None
            else account_id(
                delegated_administrator_account_id, f"{where}.delegated_administrator_account_id"
            ),
            "pipeline_role_arns": None
            if pipeline_role_arns is None
            else _role_arns(pipeline_role_arns, f"{where}.pipeline_role_arns"),
            "allowed_task_policies": None
            if allowed_task_policies is None
            else _task_policies(allowed_task_policies, f"{where}.allowed_task_policies"),
            "name_prefix": None
            if name_prefix is None
            else non_empty_string(name_prefix, f"{where}.name_prefix"),
            "tags": None if tags is None else dict(tags),
        }
        super().__init__(
            scope,
            id,
            variables=variables,
            source=source,
            providers=providers,
            depends_on=depends_on,
        )

    @property
    def deny_root_user_policy_id(self) -> str:
        """Token for the deny-root-user SCP id (``p-...``), null when not created."""
        return self.get_string("deny_root_user_policy_id")

    @property
    def restrict_assume_root_policy_id(self) -> str:
        """Token for the restrict-AssumeRoot SCP id (``p-...``), null when not created."""
        return self.get_string("restrict_assume_root_policy_id")

    @property
    def policy_documents(self) -> Any:
        """Token for the SCP documents keyed by ``deny_root_user`` / ``restrict_assume_root``."""
        return self.get("policy_documents")
