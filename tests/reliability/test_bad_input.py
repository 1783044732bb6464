"""Bad input is refused before any AWS call (issue 7, part 3).

The CLI's own matrix (one line, exit 2, no call) is ``tests/cli/test_cli.py::
test_bad_input_is_one_line_exit_2_and_no_aws_call``; the checks that need the
organization are ``test_targets_checked_against_the_organization_before_any_change``.
This module adds the Terraform side: each bad variable makes ``terraform plan`` fail
with the module's validation message and no AWS call (asserted with the simulator
server's call log); what needs the organization (an OU that does not exist, the
management account named) fails the plan after read-only Organizations calls only.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest
import tftest
from terraform_offline.engine import Engine

from root_access.simulator import Simulator, SimulatorServer

from .conftest import CliRun

STACK = """
variable "selection" {
  type    = any
  default = { all = true }
}

variable "remove" {
  type    = bool
  default = false
}

variable "requests" {
  type    = any
  default = {}
}

module "removal" {
  source            = "../modules/root-credentials-removal"
  create            = var.remove
  selection         = var.selection
  python_executable = "%s"
  region            = "us-east-1"
}

module "tasks" {
  source            = "../modules/privileged-task"
  requests          = var.requests
  python_executable = "%s"
  region            = "us-east-1"
}
"""

MEMBER = "222222222222"

BAD_VARIABLES: list[tuple[str, dict[str, Any], str]] = [
    (
        "malformed account id",
        {"selection": {"accounts": ["2222"]}},
        'selection.accounts and selection.exclude_accounts take 12-digit account id strings, '
        'e.g. "222222222222".',
    ),
    (
        "malformed OU id",
        {"selection": {"organizational_units": ["ou-bad"]}},
        "selection.organizational_units and selection.exclude_organizational_units take OU "
        "ids (ou-xxxx-yyyyyyyy) or the root id (r-xxxx).",
    ),
    (
        "empty selection",
        {"selection": {}},
        "selection needs exactly one of: all = true, or a non-empty accounts / "
        "organizational_units list.",
    ),
    (
        "all with accounts (conflicting)",
        {"selection": {"all": True, "accounts": [MEMBER]}},
        "selection needs exactly one of: all = true, or a non-empty accounts / "
        "organizational_units list.",
    ),
    (
        "unknown task",
        {"requests": {"CHG-1": {"task": "unlock-root", "account_id": MEMBER}}},
        "requests[*].task must be one of allow-password-recovery, unlock-s3-bucket-policy, "
        "unlock-sqs-queue-policy.",
    ),
    (
        "malformed bucket name",
        {"requests": {"CHG-1": {"task": "unlock-s3-bucket-policy", "account_id": MEMBER,
                                "buckets": ["Bad_Bucket"]}}},
        "requests[*].buckets take S3 bucket names: 3-63 lowercase letters, digits, dots and "
        "hyphens, starting and ending with a letter or digit.",
    ),
    (
        "queue URL of another account",
        {"requests": {"CHG-1": {"task": "unlock-sqs-queue-policy", "account_id": MEMBER,
                                "queue_urls": ["https://sqs.us-east-1.amazonaws.com/333333333333/q"]}}},
        "requests[*].queue_urls must be queue URLs of the request's own account_id: "
        "https://sqs.<region>.amazonaws.com/<account_id>/<queue>.",
    ),
    (
        "malformed queue URL",
        {"requests": {"CHG-1": {"task": "unlock-sqs-queue-policy", "account_id": MEMBER,
                                "queue_urls": ["not-a-url"]}}},
        "requests[*].queue_urls must be queue URLs of the request's own account_id: "
        "https://sqs.<region>.amazonaws.com/<account_id>/<queue>.",
    ),
]  # fmt: skip

NEEDS_THE_ORGANIZATION: list[tuple[str, dict[str, Any], str]] = [
    (
        "OU that does not exist",
        {"selection": {"organizational_units": ["ou-zzzz-zzzzzzzz"]}},
        "organizational unit ou-zzzz-zzzzzzzz does not exist in this organization",
    ),
    (
        "management account named",
        {"selection": {"accounts": ["111111111111"]}},
        "account 111111111111 is the management account, which centralized root access "
        "does not cover",
    ),
    (
        "account not in the organization",
        {"selection": {"accounts": ["999999999999"]}},
        "account 999999999999 is not in this organization",
    ),
]


@pytest.fixture
def stack(
    simulator_server: SimulatorServer,
    terraform_copy: Path,
    terraform_engine: Engine,
    terraform_base_env: dict[str, str],
) -> tftest.TerraformTest:
    directory = terraform_copy / "stack"
    (directory / "main.tf").write_text(STACK % (sys.executable, sys.executable))
    env = {**terraform_base_env, **simulator_server.env}
    tf = tftest.TerraformTest(str(directory), binary=terraform_engine.path, env=env)
    tf.execute_command("init", "-input=false", "-no-color")
    return tf


def _plan(tf: tftest.TerraformTest, variables: dict[str, Any]) -> str:
    values = (
        variables if "features" in variables else {"remove": "selection" in variables, **variables}
    )
    (Path(tf.tfdir) / "terraform.tfvars.json").write_text(json.dumps(values))
    with pytest.raises(tftest.TerraformTestError) as failed:
        tf.execute_command("plan", "-input=false", "-no-color")
    return " ".join(str(failed.value.args[0]).split())


@pytest.mark.terraform
@pytest.mark.server
def test_terraform_variables_refuse_bad_input_at_plan_without_any_aws_call(
    stack: tftest.TerraformTest, simulator_server: SimulatorServer
) -> None:
    for case, variables, message in BAD_VARIABLES:
        # given a bad variable
        simulator_server.clear_calls()
        # when
        output = _plan(stack, variables)
        # then the plan stops with the validation message and no AWS call was made
        assert message in output, case
        assert simulator_server.calls() == [], case


@pytest.mark.terraform
@pytest.mark.server
def test_terraform_selection_checked_against_the_organization_with_reads_only(
    stack: tftest.TerraformTest, simulator_server: SimulatorServer
) -> None:
    for case, variables, message in NEEDS_THE_ORGANIZATION:
        # given a selection that is well formed but wrong for this organization
        simulator_server.clear_calls()
        # when
        output = _plan(stack, variables)
        # then the plan stops with one line naming it, after read-only calls only
        actions = {call.action for call in simulator_server.calls()}
        assert message in output, case
        assert "AssumeRoot" not in actions, case
        assert all(a.startswith(("Get", "List", "Describe")) for a in actions), case


def test_cli_unknown_task_is_one_line_exit_2_without_any_aws_call(
    cli: CliRun, cli_env: Simulator
) -> None:
    # given a task name that is not a root-access command
    # when
    result = cli("unlock-root", "--accounts", MEMBER)
    # then
    assert result == (
        2,
        "",
        "root-access: error: argument COMMAND: invalid choice: 'unlock-root' (choose from "
        "'status', 'enable', 'disable', 'audit', 'delete-credentials', "
        "'allow-password-recovery', 'unlock-s3-bucket-policy', 'unlock-sqs-queue-policy', "
        "'simulate') (see `root-access --help`)\n",
    )
    assert cli_env.calls == []


FEATURES_STACK = """
provider "aws" {
  region = "us-east-1"
}

variable "features" {
  type = list(string)
}

module "enable" {
  source            = "../modules/organization-root-access"
  enabled_features  = var.features
  python_executable = "%s"
}
"""


@pytest.mark.terraform
@pytest.mark.server
def test_terraform_feature_names_are_a_non_empty_subset(
    simulator_server: SimulatorServer,
    terraform_copy: Path,
    terraform_engine: Engine,
    terraform_base_env: dict[str, str],
) -> None:
    # given the organization-root-access module in a stack
    directory = terraform_copy / "stack"
    (directory / "main.tf").write_text(FEATURES_STACK % sys.executable)
    env = {**terraform_base_env, **simulator_server.env}
    tf = tftest.TerraformTest(str(directory), binary=terraform_engine.path, env=env)
    tf.execute_command("init", "-input=false", "-no-color")
    cases = [
        ([], "enabled_features must not be empty: to turn the features off, lift "
             "prevent_destroy and destroy the module (see README)."),
        (["RootSession"], "enabled_features accepts only RootCredentialsManagement and "
                          "RootSessions (case-sensitive)."),
    ]  # fmt: skip
    for features, message in cases:
        simulator_server.clear_calls()
        # when
        output = _plan(tf, {"features": features})
        # then the only call is the aws provider's own credential check when it is
        # configured (the real provider makes it too, unless skip_credentials_validation)
        assert message in output, features
        assert [(c.service, c.action) for c in simulator_server.calls()] == [
            ("sts", "GetCallerIdentity")
        ], features
