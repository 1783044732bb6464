"""Least privilege: the pipeline policies in policies/ are exactly what each mode uses
(issue 7, part 5; field case STS-TASK-SCOPED).

Each mode's flows run through the CLI against the simulator; the calls the pipeline
principal made (not those inside root sessions) and the task policies it passed to
``sts:AssumeRoot`` are read from the simulator. Every call must be allowed by the mode's
document, every action of the document must have been used, and the document's
``sts:TaskPolicyArn`` condition must name exactly the task policies the mode assumed.
Then a pipeline limited the way the audit-only document limits it can audit and is
refused the delete task: each account ``access_denied``, exit 1.

Last, the documents are enforced as the pipeline's identity policy
(``World.set_pipeline_policy``): each mode's flows end as they do unrestricted, and
dropping any statement, action or task policy ARN makes some flow end differently, except
the reads listed in ``TOLERATED``.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
import tftest
from terraform_offline.engine import Engine

from root_access import scp_lint
from root_access.simulator import Scenario, Simulator, SimulatorServer
from root_access.simulator.policy import matches_any
from root_access.simulator.state import sim_state

from .conftest import REPO, CliRun, outcomes

POLICIES = REPO / "policies"
MODES = ("audit-only", "delete", "enable", "unlock")
NO_PERMISSION_NEEDED = {"sts:GetCallerIdentity"}
"""GetCallerIdentity works whatever the caller's policies say (STS API Reference)."""
MEMBER = "222222222222"


def _policy(mode: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads((POLICIES / f"{mode}.json").read_text())
    return document


def _statements(mode: str) -> list[dict[str, Any]]:
    return list(_policy(mode)["Statement"])


def _as_list(value: str | list[str]) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


def _allowed(mode: str, action: str) -> bool:
    return any(
        s["Effect"] == "Allow" and matches_any(action, _as_list(s["Action"]))
        for s in _statements(mode)
    )


def _task_arns(mode: str) -> list[str]:
    """The ``sts:TaskPolicyArn`` patterns of the mode's AssumeRoot statement ([] if none)."""
    return [
        arn
        for s in _statements(mode)
        if "sts:AssumeRoot" in _as_list(s["Action"])
        for arn in s["Condition"]["ArnLike"]["sts:TaskPolicyArn"]
    ]


def _used(simulator: Simulator) -> tuple[set[str], set[str]]:
    """(service:Action of the pipeline's own calls, task names it assumed root with)."""
    caller = simulator.management_account_id
    actions = {f"{c.service}:{c.action}" for c in simulator.calls if c.account_id == caller}
    tasks = {session.task_name for session in sim_state().sessions.values()}
    return actions - NO_PERMISSION_NEEDED, tasks


def _ou_of(simulator: Simulator, name: str) -> str:
    organizations = simulator.session().client("organizations")
    root = organizations.list_roots()["Roots"][0]["Id"]
    units = organizations.list_organizational_units_for_parent(ParentId=root)
    return next(u["Id"] for u in units["OrganizationalUnits"] if u["Name"] == name)


def _assert_exact(mode: str, actions: Iterable[str], tasks: Iterable[str]) -> None:
    used = set(actions)
    declared = {a for s in _statements(mode) for a in _as_list(s["Action"])}
    task_arns = _task_arns(mode)
    assert " ".join(sorted(a for a in used if not _allowed(mode, a))) == "", f"{mode}: missing"
    assert " ".join(sorted(declared - used)) == "", f"{mode}: never used"
    assert sorted(task_arns) == sorted(
        f"arn:*:iam::aws:policy/root-task/{task}" for task in tasks
    ), mode


def test_every_mode_has_a_valid_policy_document() -> None:
    # given / when
    documents = {mode: _policy(mode) for mode in MODES}
    # then each is an identity policy of Allow statements on the actions each mode names
    assert sorted(p.name for p in POLICIES.glob("*.json")) == [f"{m}.json" for m in MODES]
    for mode, document in documents.items():
        assert document["Version"] == "2012-10-17", mode
        assert {s["Effect"] for s in document["Statement"]} == {"Allow"}, mode
        assert all(s["Sid"] for s in document["Statement"]), mode


def test_audit_only_policy_is_exactly_what_audits_use(
    simulator: Simulator, cli: CliRun, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given the audit flows: organization-wide, by OU, by account, and the status view,
    # its SCP lint once per account and once as for a large organization (bulk reads)
    workloads = _ou_of(simulator, "Workloads")
    simulator.call_log.clear()  # the test's own lookup is not the pipeline's
    # when
    codes = [
        cli("audit", "--all", "--format", "json")[0],
        cli("audit", "--organizational-units", workloads, "--format", "json")[0],
        cli("audit", "--accounts", MEMBER, "--format", "json")[0],
        cli("status", "--audit", "--format", "json")[0],
    ]
    monkeypatch.setattr(scp_lint, "BULK_LINT_ABOVE", 0)
    codes.append(cli("status", "--format", "json")[0])
    # then
    assert codes == [1, 1, 0, 1, 0]
    _assert_exact("audit-only", *_used(simulator))


def test_delete_policy_is_exactly_what_deletion_uses(simulator: Simulator, cli: CliRun) -> None:
    # given the deletion flows: a dry run by OU, a deletion by account, then organization-wide
    workloads = _ou_of(simulator, "Workloads")
    simulator.call_log.clear()  # the test's own lookup is not the pipeline's
    # when
    codes = [
        cli("delete-credentials", "--organizational-units", workloads, "--dry-run")[0],
        cli("delete-credentials", "--accounts", MEMBER, "--yes")[0],
        cli("delete-credentials", "--all", "--yes")[0],
        cli("delete-credentials", "--all", "--dry-run", "--skip-scp-blocked")[0],
    ]
    # then deletion assumes the delete task and, to verify, the audit task; the skip
    # lints the SCPs first
    assert codes == [1, 0, 1, 1]
    _assert_exact("delete", *_used(simulator))


def test_unlock_policy_is_exactly_what_privileged_tasks_use(
    simulator: Simulator, cli: CliRun
) -> None:
    # given a bucket and a queue of 222222222222 whose policies deny everyone
    deny = json.dumps(
        {"Version": "2012-10-17",
         "Statement": [{"Effect": "Deny", "Principal": "*", "Action": "*", "Resource": "*"}]}
    )  # fmt: skip
    member = simulator.session(MEMBER)
    member.client("s3").create_bucket(Bucket="locked-bucket")
    member.client("s3").put_bucket_policy(Bucket="locked-bucket", Policy=deny)
    queue = member.client("sqs").create_queue(QueueName="q", Attributes={"Policy": deny})
    url = queue["QueueUrl"]
    simulator.call_log.clear()
    # when password recovery and both unlocks run
    runs = [
        cli("allow-password-recovery", "--accounts", "444444444444"),
        cli("unlock-s3-bucket-policy", "--yes", "--account", MEMBER, "--bucket", "locked-bucket"),
        cli("unlock-sqs-queue-policy", "--yes", "--account", MEMBER, "--queue-url", url),
    ]
    # then
    assert [run[0] for run in runs] == [0, 0, 0]
    _assert_exact("unlock", *_used(simulator))


ENABLE_STACK = """
provider "aws" {
  region = "us-east-1"
}

module "enable" {
  source                             = "../modules/organization-root-access"
  enable_trusted_access              = true
  delegated_administrator_account_id = "333333333333"
  python_executable                  = "%s"
  region                             = "us-east-1"
}
"""


@pytest.mark.server
@pytest.mark.terraform
def test_enable_policy_is_exactly_what_enabling_uses(
    terraform_copy: Path,
    terraform_engine: Engine,
    terraform_base_env: dict[str, str],
    root_access_script: str,
    tmp_path: Path,
) -> None:
    # given an organization before centralized root access, served to subprocesses
    data = Scenario.default().to_dict()
    data["organizations"][0].update(
        {"trusted_access": [], "features": [], "delegated_administrator": None}
    )
    scenario = Scenario.from_dict(data, source="default.yaml, root access off")
    stack = terraform_copy / "stack"
    (stack / "main.tf").write_text(ENABLE_STACK % sys.executable)
    with SimulatorServer(scenario) as server:
        env = {**terraform_base_env, **server.env}
        # when the CLI plans it and shows the status, then the Terraform module enables
        # it and plans again (nothing left to do)
        cli = [
            subprocess.run([root_access_script, *argv], env=env, capture_output=True,
                           timeout=300, check=False).returncode
            for argv in (
                ["enable", "--trusted-access", "--delegated-administrator", "333333333333",
                 "--dry-run"],
                ["status", "--format", "json"],
            )
        ]  # fmt: skip
        tf = tftest.TerraformTest(str(stack), binary=terraform_engine.path, env=env)
        tf.execute_command("init", "-input=false", "-no-color")
        tf.apply()
        tf.execute_command("plan", "-input=false", "-no-color", "-detailed-exitcode")
        calls = server.calls()
        sessions = server.sessions()
    # then every call was allowed, every action was used, and root was never assumed
    caller = {f"{c.service}:{c.action}" for c in calls if c.account_id == "111111111111"}
    assert cli == [0, 0]
    assert sessions == []
    _assert_exact("enable", caller - NO_PERMISSION_NEEDED, [])
    assert _task_arns("enable") == []


def test_a_pipeline_limited_to_audit_cannot_delete(simulator: Simulator, cli: CliRun) -> None:
    # given the pipeline may pass only the task policies the audit-only document names
    tasks = [arn.rsplit("/", 1)[1] for arn in _task_arns("audit-only")]
    simulator.world.allow_root_tasks(simulator.management_account_id, tasks)
    # when it audits, then tries to delete
    audit = cli("audit", "--accounts", MEMBER, "--format", "json")
    delete = cli("delete-credentials", "--accounts", MEMBER, "--yes", "--format", "json")
    # then the audit works and the deletion is that account's access_denied, exit 1
    assert tasks == ["IAMAuditRootUserCredentials"]
    assert (audit[0], outcomes(audit[1])) == (0, {MEMBER: "root_credentials_present"})
    assert (delete[0], outcomes(delete[1])) == (1, {MEMBER: "access_denied"})
    assert simulator.root_user(MEMBER).has_credentials


# --------------------------------------------------------------------------- enforced
# Item 3 of issue 13: the documents enforced as the pipeline principal's identity policy
# (World.set_pipeline_policy), with sts:TaskPolicyArn evaluated on sts:AssumeRoot. Under
# exactly policies/<mode>.json every flow of the mode ends as it does unrestricted (and
# no pipeline call is refused); with any single statement, action or task policy ARN
# dropped, some flow ends differently.

DENY_ALL = json.dumps(
    {"Version": "2012-10-17",
     "Statement": [{"Effect": "Deny", "Principal": "*", "Action": "*", "Resource": "*"}]}
)  # fmt: skip
REFUSED = {"AccessDenied", "AccessDeniedException"}
Flow = tuple[str, ...]


def _root_access_off() -> Scenario:
    data = Scenario.default().to_dict()
    data["organizations"][0].update(
        {"trusted_access": [], "features": [], "delegated_administrator": None}
    )
    return Scenario.from_dict(data, source="default.yaml, root access off")


def _flows(mode: str, simulator: Simulator) -> list[Flow]:
    """The CLI runs of a mode (as the tests above), against a fresh ``simulator``."""
    if mode == "audit-only":
        workloads = _ou_of(simulator, "Workloads")
        return [
            ("audit", "--all", "--format", "json"),
            ("audit", "--organizational-units", workloads, "--format", "json"),
            ("audit", "--accounts", MEMBER, "--format", "json"),
            ("status", "--audit", "--format", "json"),
        ]
    if mode == "delete":
        workloads = _ou_of(simulator, "Workloads")
        return [
            ("delete-credentials", "--organizational-units", workloads, "--dry-run",
             "--format", "json"),
            ("delete-credentials", "--accounts", MEMBER, "--yes", "--format", "json"),
            ("delete-credentials", "--all", "--yes", "--format", "json"),
            ("delete-credentials", "--all", "--dry-run", "--skip-scp-blocked", "--format",
             "json"),
        ]  # fmt: skip
    if mode == "unlock":
        member = simulator.session(MEMBER)
        member.client("s3").create_bucket(Bucket="locked-bucket")
        member.client("s3").put_bucket_policy(Bucket="locked-bucket", Policy=DENY_ALL)
        queue = member.client("sqs").create_queue(QueueName="q", Attributes={"Policy": DENY_ALL})
        return [
            ("allow-password-recovery", "--accounts", "444444444444", "--format", "json"),
            ("unlock-s3-bucket-policy", "--yes", "--account", MEMBER, "--bucket",
             "locked-bucket", "--format", "json"),
            ("unlock-sqs-queue-policy", "--yes", "--account", MEMBER, "--queue-url",
             queue["QueueUrl"], "--format", "json"),
        ]  # fmt: skip
    assert mode == "enable"
    return [
        ("enable", "--trusted-access", "--delegated-administrator", "333333333333", "--dry-run"),
        ("enable", "--trusted-access", "--delegated-administrator", "333333333333"),
        ("status", "--format", "json"),
    ]


_RANDOM_IDS = re.compile(r"\b(o|r|p|ou-[a-z0-9]{4,32})-[a-z0-9]{4,32}\b")
"""Organization, root, policy and OU ids: random per simulator, so masked before
comparing."""


def _summary(stdout: str) -> Any:
    """The per-account outcomes of a JSON run, else the output itself (ids masked)."""
    stdout = _RANDOM_IDS.sub("<id>", stdout)
    try:
        data = json.loads(stdout)
    except json.JSONDecodeError:
        return stdout.strip()
    if isinstance(data, dict) and "results" in data:
        return {r["account_id"]: r["outcome"] for r in data["results"]}
    return data


def _run(
    mode: str,
    document: dict[str, Any] | None,
    env: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> tuple[list[Any], list[str]]:
    """Run the mode's flows in a fresh simulator under ``document`` (None: unrestricted).

    Returns ([(exit code, summary)] per flow, the pipeline's refused calls)."""
    from root_access.cli import main

    scenario = _root_access_off() if mode == "enable" else Scenario.default()
    with Simulator(scenario) as simulator:
        key, secret = simulator.credentials()
        for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_REGION", "AWS_ENDPOINT_URL"):
            env.delenv(name, raising=False)
        env.setenv("AWS_ACCESS_KEY_ID", key)
        env.setenv("AWS_SECRET_ACCESS_KEY", secret)
        env.setenv("AWS_DEFAULT_REGION", simulator.region)
        env.setenv("AWS_CONFIG_FILE", str(tmp_path / "aws-config-absent"))
        env.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "aws-credentials-absent"))
        flows = _flows(mode, simulator)
        simulator.call_log.clear()
        simulator.world.set_pipeline_policy(simulator.management_account_id, document)
        results = []
        for argv in flows:
            code = main(list(argv))
            results.append((code, _summary(capsys.readouterr().out)))
        refused = sorted(
            f"{c.service}:{c.action}"
            for c in simulator.calls
            if c.account_id == simulator.management_account_id and c.error_code in REFUSED
        )
        return results, refused


def _variants(document: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """``document`` with one statement, one action or one task policy ARN dropped."""
    statements = document["Statement"]
    for index, statement in enumerate(statements):
        rest = [s for i, s in enumerate(statements) if i != index]
        if rest:
            yield f"without {statement['Sid']}", {**document, "Statement": rest}
        actions = _as_list(statement["Action"])
        if len(actions) > 1:
            for action in actions:
                kept = {**statement, "Action": [a for a in actions if a != action]}
                yield f"without {action}", {
                    **document, "Statement": [*rest[:index], kept, *rest[index:]]
                }  # fmt: skip
        for operator, pairs in statement.get("Condition", {}).items():
            for key, values in pairs.items():
                listed = _as_list(values)
                for value in listed if len(listed) > 1 else []:
                    fewer = [v for v in listed if v != value]
                    kept = {**statement, "Condition": {operator: {**pairs, key: fewer}}}
                    yield f"without {key} {value.rsplit('/', 1)[-1]}", {
                        **document, "Statement": [*rest[:index], kept, *rest[index:]]
                    }  # fmt: skip


@pytest.mark.parametrize("mode", MODES)
def test_each_mode_succeeds_under_exactly_its_policy(
    mode: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    # given the same flows unrestricted, then under exactly policies/<mode>.json
    unrestricted, _ = _run(mode, None, monkeypatch, capsys, tmp_path)
    # when
    enforced, refused = _run(mode, _policy(mode), monkeypatch, capsys, tmp_path)
    # then every flow ends as it does unrestricted and no pipeline call was refused
    assert refused == []
    assert enforced == unrestricted


@pytest.mark.parametrize("mode", MODES)
def test_dropping_any_statement_action_or_task_makes_the_mode_fail(
    mode: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    # given the flows' results unrestricted
    unrestricted, _ = _run(mode, None, monkeypatch, capsys, tmp_path)
    variants = list(_variants(_policy(mode)))
    # when each variant of the document is enforced instead
    harmless = []
    for name, document in variants:
        enforced, refused = _run(mode, document, monkeypatch, capsys, tmp_path)
        if enforced == unrestricted or not refused:
            harmless.append(name)
    # then every variant refuses a call and changes how some flow ends, except the reads
    # the preflight tolerates being refused (it then reports the fact as unknown)
    assert len(variants) == VARIANTS[mode]
    assert harmless == TOLERATED[mode]


VARIANTS = {"audit-only": 17, "delete": 16, "enable": 18, "unlock": 10}
"""Statements + actions of multi-action statements + task ARNs of multi-ARN conditions."""
TOLERATED: dict[str, list[str]] = {
    "audit-only": [
        "without organizations:ListAWSServiceAccessForOrganization",
        "without organizations:ListPolicies",
        "without organizations:ListTargetsForPolicy",
    ],
    "delete": [
        "without organizations:DescribePolicy",
        "without organizations:ListAWSServiceAccessForOrganization",
        "without organizations:ListDelegatedAdministrators",
        "without organizations:ListParents",
        "without organizations:ListPoliciesForTarget",
    ],
    "enable": [
        "without organizations:ListAWSServiceAccessForOrganization",
        "without organizations:ListAccounts",
    ],
    "unlock": [
        "without organizations:ListAWSServiceAccessForOrganization",
        "without organizations:ListDelegatedAdministrators",
    ],
}
"""Variants that change no CLI outcome, by design (policies/README.md, "Shown sufficient
and minimal"): the preflight reads trusted access and the delegated administrator
"tolerated when denied" (preflight.py), enable.json's ListAccounts is used by the
Terraform module's data source, not by the CLI (test_enable_policy_is_exactly_...), and
--skip-scp-blocked tries an account whose SCPs it could not read (the lint's unknown), so
its outcome is the SCP's blocked_by_scp either way (delete.json's SCP reads).
audit-only.json's ListPolicies and ListTargetsForPolicy are the SCP lint's bulk reads
above scp_lint.BULK_LINT_ABOVE accounts (test_audit_only_policy_is_exactly_...); these
flows' small organization never takes them, and a refused bulk read falls back to the
per-account reads."""
