"""RootGuardrails: the root-guardrails module (SCPs keeping root access central) as a construct."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from root_access_cdktf import PropsError, RootGuardrails
from root_access_cdktf.cdk import cdk

PIPELINE = "arn:aws:iam::333333333333:role/root-access-pipeline"


def test_props_reach_the_module_block(stack: Any, synth: Callable[[Any], dict[str, Any]]) -> None:
    # given both guardrails
    RootGuardrails(
        stack,
        "guardrails",
        deny_root_user_target_ids=["ou-abcd-12345678"],
        create_restrict_assume_root_policy=True,
        delegated_administrator_account_id="333333333333",
        pipeline_role_arns=[PIPELINE],
        allowed_task_policies={PIPELINE: ["IAMAuditRootUserCredentials"]},
    )
    # when synthesized
    module = synth(stack)["module"]["guardrails"]
    # then the module block holds exactly the props given
    assert module == {
        "source": "<repository>/modules/root-guardrails",
        "deny_root_user_target_ids": ["ou-abcd-12345678"],
        "create_restrict_assume_root_policy": True,
        "delegated_administrator_account_id": "333333333333",
        "pipeline_role_arns": [PIPELINE],
        "allowed_task_policies": {PIPELINE: ["IAMAuditRootUserCredentials"]},
    }


def test_outputs_reference_the_module(stack: Any, synth: Callable[[Any], dict[str, Any]]) -> None:
    guardrails = RootGuardrails(stack, "guardrails")
    cdk.TerraformOutput(stack, "deny", value=guardrails.deny_root_user_policy_id)
    cdk.TerraformOutput(stack, "documents", value=guardrails.policy_documents)
    outputs = synth(stack)["output"]
    assert {name: output["value"] for name, output in outputs.items()} == {
        "deny": "${module.guardrails.deny_root_user_policy_id}",
        "documents": "${module.guardrails.policy_documents}",
    }


@pytest.mark.parametrize(
    ("props", "message"),
    [
        (
            {"deny_root_user_target_ids": ["Workloads"]},
            "RootGuardrails.deny_root_user_target_ids: 'Workloads' is not a root id",
        ),
        (
            {"pipeline_role_arns": ["arn:aws:iam::333333333333:user/alice"]},
            "RootGuardrails.pipeline_role_arns: 'arn:aws:iam::333333333333:user/alice' is not "
            "an IAM role ARN",
        ),
        (
            {"allowed_task_policies": {PIPELINE: ["Audit"]}},
            f"RootGuardrails.allowed_task_policies['{PIPELINE}']: 'Audit' is not a task policy",
        ),
        (
            {"delegated_administrator_account_id": "33333333333"},
            "RootGuardrails.delegated_administrator_account_id: '33333333333' is not an AWS "
            "account id",
        ),
    ],
)
def test_bad_props_fail_at_synth(stack: Any, props: dict[str, Any], message: str) -> None:
    with pytest.raises(PropsError) as raised:
        RootGuardrails(stack, "guardrails", **props)
    assert str(raised.value).startswith(message)


@pytest.mark.terraform
def test_is_valid_terraform(stack: Any, valid_terraform: Callable[[Any], bool]) -> None:
    RootGuardrails(stack, "guardrails", deny_root_user_target_ids=["ou-abcd-12345678"])
    assert valid_terraform(stack)
