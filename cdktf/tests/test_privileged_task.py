"""PrivilegedTask: the privileged-task module (requests keyed by request id) as a construct."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from root_access_cdktf import PrivilegedTask, PrivilegedTaskRequest
from root_access_cdktf.cdk import cdk


def test_requests_reach_the_module_block_keyed_by_request_id(
    stack: Any, synth: Callable[[Any], dict[str, Any]]
) -> None:
    # given three requests, one per task
    PrivilegedTask(
        stack,
        "tasks",
        requests={
            "CHG-1": PrivilegedTaskRequest("allow-password-recovery", "222222222222"),
            "CHG-2": PrivilegedTaskRequest(
                "unlock-s3-bucket-policy", "222222222222", buckets=["logs", "data"]
            ),
            "INC.3": PrivilegedTaskRequest(
                "unlock-sqs-queue-policy",
                "444444444444",
                queue_urls=["https://sqs.eu-west-1.amazonaws.com/444444444444/jobs"],
                dry_run=False,
            ),
        },
        evidence_path="evidence/tasks.jsonl",
    )

    # when synthesized
    module = synth(stack)["module"]["tasks"]

    # then the module's requests map holds them, defaults left out
    assert module == {
        "source": "<repository>/modules/privileged-task",
        "requests": {
            "CHG-1": {"task": "allow-password-recovery", "account_id": "222222222222"},
            "CHG-2": {
                "task": "unlock-s3-bucket-policy",
                "account_id": "222222222222",
                "buckets": ["logs", "data"],
            },
            "INC.3": {
                "task": "unlock-sqs-queue-policy",
                "account_id": "444444444444",
                "queue_urls": ["https://sqs.eu-west-1.amazonaws.com/444444444444/jobs"],
                "dry_run": False,
            },
        },
        "evidence_path": "evidence/tasks.jsonl",
    }


def test_outputs_reference_the_module(stack: Any, synth: Callable[[Any], dict[str, Any]]) -> None:
    # given outputs wired to the construct's outputs
    tasks = PrivilegedTask(stack, "tasks")
    cdk.TerraformOutput(stack, "request_ids", value=tasks.request_ids)
    cdk.TerraformOutput(stack, "requests", value=tasks.recorded_requests)

    # when synthesized
    outputs = synth(stack)["output"]

    # then they read the module outputs request_ids and requests
    assert {name: output["value"] for name, output in outputs.items()} == {
        "request_ids": "${module.tasks.request_ids}",
        "requests": "${module.tasks.requests}",
    }


@pytest.mark.terraform
def test_is_valid_terraform(stack: Any, valid_terraform: Callable[[Any], bool]) -> None:
    # given one password-recovery request
    PrivilegedTask(
        stack,
        "tasks",
        requests={"CHG-1": PrivilegedTaskRequest("allow-password-recovery", "222222222222")},
    )

    # when / then Terraform validates the synthesized stack offline
    assert valid_terraform(stack) is True
