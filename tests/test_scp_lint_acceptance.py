"""The SCP lint flags exactly the accounts the simulator then blocks, before any AssumeRoot.

A scenario with nested OUs and several SCPs: an exempting one on the root, a root-denying
one without the exemption on a parent OU (inherited by its child OU), a credential-delete
denial on a nested OU, an audit-read denial on one account.
"""

from __future__ import annotations

from root_access import Selection, audit, delete_credentials
from root_access.scp_lint import VERB_TASKS, ScpStatus, lint_scps
from root_access.simulator import Scenario, Simulator
from root_access.tasks import RootTask

ROOT_USER = {"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*:root"}}
SCENARIO = {
    "region": "us-east-1",
    "organizations": [
        {
            "management_account": {"id": "111111111111", "name": "management"},
            "trusted_access": ["iam.amazonaws.com"],
            "features": ["RootCredentialsManagement", "RootSessions"],
            "service_control_policies": [
                {
                    "name": "deny-root-user-outside-sessions",
                    "document": {
                        "Version": "2012-10-17",
                        "Statement": [
                            {
                                "Effect": "Deny",
                                "Action": "*",
                                "Resource": "*",
                                "Condition": {**ROOT_USER, "Null": {"aws:AssumedRoot": "true"}},
                            }
                        ],
                    },
                }
            ],
            "organizational_units": [
                {
                    "name": "Legacy",
                    "service_control_policies": [
                        {
                            "name": "deny-root-user",
                            "document": {
                                "Version": "2012-10-17",
                                "Statement": [
                                    {
                                        "Sid": "NoRoot",
                                        "Effect": "Deny",
                                        "Action": "*",
                                        "Resource": "*",
                                        "Condition": ROOT_USER,
                                    }
                                ],
                            },
                        }
                    ],
                    "accounts": [{"id": "200000000001", "root_credentials": {"password": True}}],
                    "organizational_units": [
                        {
                            "name": "Old",
                            "accounts": [
                                {"id": "200000000002", "root_credentials": {"password": True}}
                            ],
                        }
                    ],
                },
                {
                    "name": "Workloads",
                    "accounts": [
                        {"id": "200000000003", "root_credentials": {"password": True}},
                        {
                            "id": "200000000004",
                            "root_credentials": {"password": True},
                            "service_control_policies": [
                                {
                                    "name": "no-account-summary",
                                    "document": {
                                        "Version": "2012-10-17",
                                        "Statement": [
                                            {
                                                "Effect": "Deny",
                                                "Action": "iam:GetAccountSummary",
                                                "Resource": "*",
                                            }
                                        ],
                                    },
                                }
                            ],
                        },
                    ],
                    "organizational_units": [
                        {
                            "name": "Teams",
                            "service_control_policies": [
                                {
                                    "name": "no-credential-deletes",
                                    "document": {
                                        "Version": "2012-10-17",
                                        "Statement": [
                                            {
                                                "Effect": "Deny",
                                                "Action": "iam:Delete*",
                                                "Resource": "*",
                                            }
                                        ],
                                    },
                                }
                            ],
                            "accounts": [
                                {"id": "200000000005", "root_credentials": {"password": True}}
                            ],
                        }
                    ],
                },
            ],
        }
    ],
}
ALL = Selection(all=True)


def _blocked(results, task: RootTask) -> set[str]:
    return {r.account_id for r in results if r.blocks_task(task)}


def test_lint_flags_exactly_the_accounts_the_simulator_blocks() -> None:
    with Simulator(Scenario.from_dict(SCENARIO)) as simulator:
        session = simulator.session()
        accounts = ["111111111111"] + [f"20000000000{n}" for n in range(1, 6)]
        # when the lint runs before anything else
        lint = list(
            lint_scps(
                session,
                account_ids=accounts,
                tasks=(RootTask.AUDIT, RootTask.DELETE_CREDENTIALS),
                partition="aws",
                region=simulator.region,
                management_account_id="111111111111",
            )
        )
        lint_calls = [c.action for c in simulator.calls]
        # then it names the blocked accounts per task, without one AssumeRoot
        assert "AssumeRoot" not in lint_calls
        assert {r.account_id: r.status for r in lint} == {
            "111111111111": ScpStatus.NOT_SUBJECT,
            "200000000001": ScpStatus.BLOCKED,
            "200000000002": ScpStatus.BLOCKED,
            "200000000003": ScpStatus.CLEAR,
            "200000000004": ScpStatus.BLOCKED,
            "200000000005": ScpStatus.BLOCKED,
        }
        lint_audit = _blocked(lint, RootTask.AUDIT)
        assert _blocked(lint, RootTask.DELETE_CREDENTIALS) == {
            "200000000001",
            "200000000002",
            "200000000005",
        }
        # (delete-credentials verifies in an audit session: both tasks' blocks count)
        lint_delete = set().union(*(_blocked(lint, t) for t in VERB_TASKS["delete-credentials"]))
        assert lint_audit == {"200000000001", "200000000002", "200000000004"}
        # and the simulator then blocks exactly those accounts, task by task
        audited = list(audit(session, selection=ALL))
        assert {r.account_id for r in audited if r.outcome.value == "blocked_by_scp"} == lint_audit
        deleted = list(delete_credentials(session, selection=ALL))
        assert {r.account_id for r in deleted if r.outcome.value == "blocked_by_scp"} == lint_delete
