"""scripts/audit.py's SCP lint (issue 14 item 2): the plan-time output names the accounts
an SCP would block in root sessions, with the policy, statement and fix, in both result
modes, as Terraform runs the script."""

from __future__ import annotations

import json

import boto3

from root_access.simulator import SimulatorServer

BLOCKED = "555555555555"


def _policy(server: SimulatorServer) -> tuple[str, str]:
    env = server.env
    org = boto3.Session(
        aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"],
        region_name=env["AWS_REGION"],
    ).client("organizations", endpoint_url=env["AWS_ENDPOINT_URL"])
    found = org.list_policies_for_target(TargetId=BLOCKED, Filter="SERVICE_CONTROL_POLICY")
    [policy] = [p for p in found["Policies"] if p["Id"] != "p-FullAWSAccess"]
    return policy["Id"], policy["Name"]


def test_scp_lint_names_the_blocked_account_with_policy_statement_and_fix(
    run_script, simulator_server: SimulatorServer
) -> None:
    # given the default organization (555555555555 carries an SCP without the exemption)
    policy_id, name = _policy(simulator_server)
    # when, in the compact mode a large organization uses
    run = run_script(
        "audit.py",
        query={"all": "true", "result_mode": "compact", "report_path": "report.jsonl"},
        env=simulator_server.env,
    )
    # then
    assert run.returncode == 0, run.stderr
    assert json.loads(run.json()["scp_lint"]) == {
        "blocked": {
            BLOCKED: {
                "tasks": ["IAMAuditRootUserCredentials", "IAMDeleteRootUserCredentials"],
                "policy": f"{name} ({policy_id})",
                "statement": "DenyInRootSessions",
                "fix": 'add "Null": {"aws:AssumedRoot": "true"} to the Condition of '
                f"statement DenyInRootSessions in SCP {name} ({policy_id}) attached to "
                f"{BLOCKED}",
            }
        },
        "unknown": [],
    }


def test_scp_lint_reads_only_organizations_and_one_preflight(
    run_script, simulator_server: SimulatorServer
) -> None:
    # given two explicit accounts, one of them blocked
    simulator_server.clear_calls()
    query = {"accounts": json.dumps(["222222222222", BLOCKED])}
    # when
    run = run_script("audit.py", query=query, env=simulator_server.env)
    # then the lint adds only Organizations reads, and the run still preflights once
    assert run.returncode == 0, run.stderr
    actions = [c.action for c in simulator_server.calls()]
    assert sorted(json.loads(run.json()["scp_lint"])["blocked"]) == [BLOCKED]
    assert actions.count("GetCallerIdentity") == 1
    assert actions.count("DescribeAccount") == 2
    assert actions.count("AssumeRoot") == 2
    assert (actions.count("ListParents"), actions.count("ListPoliciesForTarget")) == (3, 4)


def test_an_unreadable_scp_is_unknown_not_clear(
    run_script, simulator_server: SimulatorServer
) -> None:
    # given a caller whose identity policy refuses the SCP reads
    simulator_server.set_pipeline_policy(
        "111111111111",
        {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Action": "*", "Resource": "*"},
                {
                    "Effect": "Deny",
                    "Action": "organizations:ListPoliciesForTarget",
                    "Resource": "*",
                },
            ],
        },
    )
    # when
    run = run_script(
        "audit.py", query={"accounts": json.dumps(["222222222222"])}, env=simulator_server.env
    )
    # then
    assert run.returncode == 0, run.stderr
    assert json.loads(run.json()["scp_lint"]) == {"blocked": {}, "unknown": ["222222222222"]}
