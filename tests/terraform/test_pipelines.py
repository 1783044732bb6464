"""The CI pipelines of ``examples/pipelines/`` run against the simulator, step by step.

Each job's shell lines (GitHub ``run:``, GitLab ``before_script``/``script``/``after_script``)
run as the runner would run them (bash, ``-eo pipefail``, GitHub's ``working-directory``,
the workflow/job/step ``env`` or GitLab ``variables``) in a private copy of the repository.
What only a hosted runner has is replaced, and the test fails on anything it does not know:

- GitHub ``uses:`` steps (:data:`GITHUB_ACTIONS`): checkout is the copy, setup-python
  this venv first on ``PATH``, setup-terraform the offline engine and mirror,
  configure-aws-credentials (OIDC) the simulator's pipeline principal, upload-artifact an
  assertion that its ``path`` exists.
- GitLab: the template's ``before_script`` (image tooling and the OIDC token file) and
  every ``AWS_*`` variable (the role ARN, token file) are replaced by the same environment.

The YAML is also checked against SchemaStore's schemas (check-jsonschema's vendored copies).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3
import pytest
import yaml

from root_access.simulator import SimulatorServer

pytestmark = [pytest.mark.terraform, pytest.mark.server]

REPO = Path(__file__).resolve().parents[2]
PIPELINES = REPO / "examples" / "pipelines"
GITHUB = PIPELINES / "github" / "root-access.yml"
GITLAB = PIPELINES / "gitlab" / ".gitlab-ci.yml"
BIN = Path(sys.executable).parent
CHECK_JSONSCHEMA = BIN / "check-jsonschema"
TF_DIR = Path("examples/pipelines/terraform")

GITHUB_ACTIONS = {
    "actions/checkout": "the test's copy of the repository",
    "actions/setup-python": "this venv's bin directory first on PATH",
    "hashicorp/setup-terraform": "the offline engine and provider mirror",
    "aws-actions/configure-aws-credentials": "the simulator's pipeline principal",
    "actions/upload-artifact": "an assertion that its path exists",
}
"""The hosted-runner actions the test replaces, and by what."""

VARIABLES = {
    "delegated_administrator_account_id": "333333333333",
    # 555555555555's root sessions are blocked by an SCP: a break-glass account kept out.
    # 777777777777 (SUSPENDED) and 888888888888 (PENDING_CLOSURE) cannot be audited, which
    # is drift (root_access.drift) until the pipeline accepts their state by excluding them.
    "selection": {
        "all": True,
        "exclude_accounts": ["555555555555", "777777777777", "888888888888"],
    },
}


@dataclass
class Step:
    """One shell script of a job: its text, directory and whether it runs after a failure."""

    script: str
    directory: Path
    env: dict[str, str] = field(default_factory=dict)
    always: bool = False


@dataclass
class Job:
    name: str
    steps: list[Step]
    artifacts: list[Path]


@dataclass
class Run:
    """A finished job: exit code of the first failed step (0 if none) and its summary."""

    code: int
    summary: str
    log: str
    missing_artifacts: list[str]


def _github_jobs() -> dict[str, Job]:
    workflow = yaml.safe_load(GITHUB.read_text())
    top_env = {k: str(v) for k, v in (workflow.get("env") or {}).items()}
    top_dir = workflow.get("defaults", {}).get("run", {}).get("working-directory", ".")
    jobs = {}
    for name, body in workflow["jobs"].items():
        job_dir = body.get("defaults", {}).get("run", {}).get("working-directory", top_dir)
        job_env = {**top_env, **{k: str(v) for k, v in (body.get("env") or {}).items()}}
        steps: list[Step] = []
        artifacts: list[Path] = []
        for step in body["steps"]:
            if "uses" in step:
                action = step["uses"].split("@", 1)[0]
                assert action in GITHUB_ACTIONS, f"{name}: no stand-in for {step['uses']}"
                if action == "actions/upload-artifact":
                    artifacts.append(Path(step["with"]["path"]))
                continue
            env = {**job_env, **{k: str(v) for k, v in (step.get("env") or {}).items()}}
            assert not [v for v in env.values() if "${{" in v], f"{name}: expression in env"
            assert "${{" not in step["run"], f"{name}: expression in a run script"
            steps.append(
                Step(
                    step["run"],
                    Path(step.get("working-directory", job_dir)),
                    env,
                    always="!cancelled()" in str(step.get("if", "")),
                )
            )
        jobs[name] = Job(name, steps, artifacts)
    return jobs


def _gitlab_jobs() -> dict[str, Job]:
    pipeline = yaml.safe_load(GITLAB.read_text())
    top = {k: str(v) for k, v in (pipeline.get("variables") or {}).items()}
    jobs = {}
    for name, body in pipeline.items():
        if name.startswith(".") or not isinstance(body, dict) or "script" not in body:
            continue
        merged: dict[str, Any] = {}
        for template in [body.get("extends")] if isinstance(body.get("extends"), str) else []:
            merged.update(pipeline[template])
        variables = {**top, **(merged.get("variables") or {}), **(body.get("variables") or {})}
        # Cloud-specific: the role and the OIDC token file become the simulator's principal.
        env = {k: str(v) for k, v in variables.items() if not k.startswith("AWS_")}
        before = body.get("before_script")
        assert before is None, f"{name}: before_script belongs in the template (replaced)"
        steps = [Step("\n".join(body["script"]), Path("."), env)]
        if "after_script" in body:
            steps.append(Step("\n".join(body["after_script"]), Path("."), env, always=True))
        artifacts = [Path(p) for p in (body.get("artifacts") or {}).get("paths", [])]
        jobs[name] = Job(name, steps, artifacts)
    return jobs


JOBS = {"github": _github_jobs, "gitlab": _gitlab_jobs}


def _check_schema(schema: str, path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(CHECK_JSONSCHEMA), "--builtin-schema", schema, str(path)],
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize(
    ("schema", "path"),
    [("vendor.github-workflows", GITHUB), ("vendor.gitlab-ci", GITLAB)],
    ids=["github", "gitlab"],
)
def test_pipeline_matches_the_published_schema(schema: str, path: Path):
    # given the committed pipeline
    # when
    done = _check_schema(schema, path)
    # then
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip() == "ok -- validation done"


@pytest.mark.parametrize(
    ("schema", "path", "broken"),
    [
        ("vendor.github-workflows", GITHUB, ("runs-on: ubuntu-latest", "runs_on: ubuntu-latest")),
        # An unquoted ": " turns a script line into a mapping: the classic GitLab mistake.
        ("vendor.gitlab-ci", GITLAB, ('"Root access - plan"', '"Root access: plan"')),
    ],
    ids=["github", "gitlab"],
)
def test_schema_check_can_fail(schema: str, path: Path, broken: tuple[str, str], tmp_path: Path):
    # given a copy with one mistake
    text = path.read_text()
    assert broken[0] in text
    copy = tmp_path / path.name
    copy.write_text(text.replace(broken[0], broken[1], 1))
    # when
    done = _check_schema(schema, copy)
    # then
    assert done.returncode == 1
    assert "Schema validation errors were encountered" in done.stdout


def test_jobs_run_on_the_documented_events():
    # given / when
    workflow = yaml.safe_load(GITHUB.read_text())
    pipeline = yaml.safe_load(GITLAB.read_text())
    # then: `on:` parses as the key True in YAML 1.1
    assert sorted(workflow[True]) == ["pull_request", "push", "schedule", "workflow_dispatch"]
    assert {name: job["if"] for name, job in workflow["jobs"].items()} == {
        "plan": "github.event_name == 'pull_request'",
        "apply": "github.event_name == 'push' && github.ref == 'refs/heads/main'",
        "drift": "github.event_name == 'schedule' || github.event_name == 'workflow_dispatch'",
    }
    assert {name: pipeline[name]["rules"] for name in ("plan", "apply", "drift")} == {
        "plan": [{"if": '$CI_PIPELINE_SOURCE == "merge_request_event"'}],
        "apply": [
            {"if": '$CI_PIPELINE_SOURCE == "push" && $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH'}
        ],
        "drift": [{"if": '$CI_PIPELINE_SOURCE == "schedule"'}],
    }
    assert workflow["jobs"]["apply"]["environment"] == "root-access"
    assert pipeline["apply"]["environment"] == {"name": "root-access"}
    # OIDC: GitHub jobs may request an ID token; GitLab issues one in the template.
    assert {n: j["permissions"]["id-token"] for n, j in workflow["jobs"].items()} == {
        "plan": "write",
        "apply": "write",
        "drift": "write",
    }
    assert pipeline[".root-access"]["id_tokens"] == {"AWS_ID_TOKEN": {"aud": "https://gitlab.com"}}


class Runner:
    """Runs one CI's jobs in one copy of the repository (the state persists between jobs,
    as a remote backend would keep it)."""

    def __init__(self, ci: str, copy: Path, environment: dict[str, str]) -> None:
        self.ci = ci
        self.copy = copy
        self.jobs = JOBS[ci]()
        self.environment = {**environment, "CI": "true"}
        self.environment["PATH"] = f"{BIN}{os.pathsep}{environment['PATH']}"
        (copy / TF_DIR / "terraform.tfvars.json").write_text(json.dumps(VARIABLES))

    def run(self, name: str) -> Run:
        job = self.jobs[name]
        summary_file = self.copy.parent / f"{self.ci}-{name}-summary.md"
        summary_file.unlink(missing_ok=True)
        code, log = 0, []
        for step in job.steps:
            if code and not step.always:
                continue
            env = {
                **self.environment,
                **step.env,
                "GITHUB_STEP_SUMMARY": str(summary_file),
                "GITHUB_WORKSPACE": str(self.copy),
                "CI_PROJECT_DIR": str(self.copy),
            }
            done = subprocess.run(
                ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step.script],
                cwd=self.copy / step.directory,
                env=env,
                capture_output=True,
                text=True,
                timeout=600,
                check=False,
            )
            log.append(f"$ {step.script}\n{done.stdout}{done.stderr}")
            code = code or done.returncode
        missing = [str(path) for path in job.artifacts if not (self.copy / path).exists()]
        if self.ci == "github":
            summary = summary_file.read_text() if summary_file.exists() else ""
        else:
            path = self.copy / TF_DIR / "audit-summary.md"
            summary = path.read_text() if path.exists() else ""
            path.unlink(missing_ok=True)
        return Run(code, summary, "\n".join(log), missing)


def _recreate_root_password(server: SimulatorServer, account_id: str) -> None:
    """What an operator's password recovery leaves: a root login profile (AssumeRoot with
    IAMCreateRootUserPassword, then CreateLoginProfile without a user name)."""
    env = server.env
    session = boto3.Session(
        aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"],
        region_name=env["AWS_REGION"],
    )
    sts = session.client("sts", endpoint_url=server.endpoint_url)
    credentials = sts.assume_root(
        TargetPrincipal=account_id,
        TaskPolicyArn={"arn": "arn:aws:iam::aws:policy/root-task/IAMCreateRootUserPassword"},
    )["Credentials"]
    iam = boto3.client(
        "iam",
        endpoint_url=server.endpoint_url,
        region_name=env["AWS_REGION"],
        aws_access_key_id=credentials["AccessKeyId"],
        aws_secret_access_key=credentials["SecretAccessKey"],
        aws_session_token=credentials["SessionToken"],
    )
    iam.create_login_profile()


@pytest.mark.parametrize("ci", ["github", "gitlab"])
def test_plan_apply_and_drift_jobs_against_the_simulator(
    ci: str,
    workspace: Path,
    fresh_organization: SimulatorServer,
    terraform,
    has_root_credentials,
):
    # given a copy of the repository and an organization before centralized root access
    # (222222222222 and 666666666666 hold root credentials)
    server = fresh_organization
    runner = Runner(ci, workspace, terraform(workspace / TF_DIR, server).env)
    assert sorted(runner.jobs) == ["apply", "drift", "plan"]

    # when a pull/merge request is planned
    plan = runner.run("plan")
    # then the plan job passes and its summary says the audit waits for the apply
    assert (plan.code, plan.missing_artifacts) == (0, []), plan.log
    assert plan.summary.startswith("## Root access - plan\n\n**"), plan.summary
    assert "resource change(s) pending" in plan.summary
    assert "`module.root_access.module.root_credentials_removal.terraform_data.this[0]`" in (
        plan.summary
    )
    assert "**Audit: not known at plan.**" in plan.summary
    assert has_root_credentials(server.root_user("222222222222"))
    if ci == "gitlab":
        report = json.loads((runner.copy / TF_DIR / "plan-report.json").read_text())
        assert report["delete"] == 0
        assert report["create"] >= 1

    # when the default branch is applied
    apply = runner.run("apply")
    # then every selected account is clean and the summary after the apply says so
    assert (apply.code, apply.missing_artifacts) == (0, []), apply.log
    for account_id in ("222222222222", "666666666666"):
        assert not has_root_credentials(server.root_user(account_id))
    assert has_root_credentials(server.root_user("555555555555"))  # excluded
    assert "## Root access - after apply\n\nNo resource changes.\n" in apply.summary
    assert "No selected account holds root credentials." in apply.summary
    evidence = runner.copy / TF_DIR / "evidence" / "root-credentials.jsonl"
    assert evidence.read_text().count("222222222222") >= 1

    # when the scheduled drift job runs on the organization as configured
    clean = runner.run("drift")
    # then it passes
    assert clean.code == 0, clean.log
    assert "No selected account holds root credentials." in clean.summary
    assert "**Drift:**" not in clean.summary

    # when a root password comes back in a clean account
    _recreate_root_password(server, "444444444444")
    drift = runner.run("drift")
    # then the drift job fails and its summary names the account and the failed check
    assert drift.code == 1, drift.log
    assert "| 444444444444 | clean | `" in drift.summary
    assert "Root credentials present in 1 account(s)." in drift.summary
    assert "- check failed: module.root_access.check.root_credentials_removed\n" in (drift.summary)
    assert "audit_summary: drift: check failed" in drift.log


def _bootstrap(workspace: Path, server: SimulatorServer, terraform) -> Any:
    """Run ``bootstrap.sh github acme/landing-zone`` from the copy's ``terraform/`` as an
    administrator of the management account (the simulator's pipeline principal)."""
    env = Runner("github", workspace, terraform(workspace / TF_DIR, server).env).environment
    return subprocess.run(
        [str(workspace / "examples" / "pipelines" / "bootstrap.sh"), "github", "acme/landing-zone"],
        cwd=workspace / TF_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def _iam(server: SimulatorServer) -> Any:
    env = server.env
    return boto3.client(
        "iam",
        endpoint_url=server.endpoint_url,
        region_name=env["AWS_REGION"],
        aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"],
    )


def _document(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def test_bootstrap_creates_the_oidc_provider_and_roles_trusting_it(
    workspace: Path, fresh_organization: SimulatorServer, terraform
):
    # given a copy of the repository with the pipeline's configuration
    # when an administrator runs the bootstrap for a GitHub repository
    done = _bootstrap(workspace, fresh_organization, terraform)
    # then GitHub's OIDC provider exists and each role trusts exactly its subjects
    iam = _iam(fresh_organization)
    providers = iam.list_open_id_connect_providers()["OpenIDConnectProviderList"]
    assert [p["Arn"] for p in providers] == [
        "arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com"
    ], done.stderr
    for role in ("plan", "apply"):
        template = (PIPELINES / "trust-policies" / f"github-{role}.json").read_text()
        expected = json.loads(
            template.replace("<ACCOUNT_ID>", "111111111111").replace(
                "<REPOSITORY>", "acme/landing-zone"
            )
        )
        trust = iam.get_role(RoleName=f"root-access-{role}")["Role"]["AssumeRolePolicyDocument"]
        assert _document(trust) == expected
    apply = _document(
        iam.get_role(RoleName="root-access-apply")["Role"]["AssumeRolePolicyDocument"]
    )
    assert apply["Statement"][0]["Condition"]["StringEquals"] == {
        "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
        "token.actions.githubusercontent.com:sub": "repo:acme/landing-zone:environment:root-access",
    }


def test_bootstrap_puts_the_pipeline_policies_on_the_roles(
    workspace: Path, fresh_organization: SimulatorServer, terraform
):
    # given / when
    done = _bootstrap(workspace, fresh_organization, terraform)
    # then it prints the two role ARNs
    assert done.returncode == 0, done.stderr
    assert done.stdout == (
        "ROOT_ACCESS_PLAN_ROLE_ARN=arn:aws:iam::111111111111:role/root-access-plan\n"
        "ROOT_ACCESS_APPLY_ROLE_ARN=arn:aws:iam::111111111111:role/root-access-apply\n"
    )
    # and the roles' permission policies are the pipeline_policies output (policies/*.json)
    iam = _iam(fresh_organization)
    expected = {
        "root-access-plan": {"root-access-audit-only": "audit-only"},
        "root-access-apply": {
            "root-access-delete": "delete",
            "root-access-enable": "enable",
            "root-access-unlock": "unlock",
        },
    }
    for role, policies in expected.items():
        assert sorted(iam.list_role_policies(RoleName=role)["PolicyNames"]) == sorted(policies)
        for policy, mode in policies.items():
            document = iam.get_role_policy(RoleName=role, PolicyName=policy)["PolicyDocument"]
            assert _document(document) == json.loads(
                (REPO / "policies" / f"{mode}.json").read_text()
            )
    # and a rerun keeps the roles (idempotent)
    assert _bootstrap(workspace, fresh_organization, terraform).returncode == 0


def test_bootstrap_usage_error(tmp_path: Path):
    # given / when
    done = subprocess.run(
        [str(PIPELINES / "bootstrap.sh"), "bitbucket", "acme/landing-zone"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    # then
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == ("usage: bootstrap.sh github|gitlab OWNER/REPO (GitLab: GROUP/PROJECT)\n")


@pytest.mark.parametrize("ci", ["github", "gitlab"])
def test_trust_policies_name_the_provider_audience_and_subject(ci: str):
    # given / when
    documents = {
        role: json.loads((PIPELINES / "trust-policies" / f"{ci}-{role}.json").read_text())
        for role in ("plan", "apply")
    }
    # then each trusts only AssumeRoleWithWebIdentity from the CI's provider
    host = {"github": "token.actions.githubusercontent.com", "gitlab": "gitlab.com"}[ci]
    for document in documents.values():
        (statement,) = document["Statement"]
        assert statement["Action"] == "sts:AssumeRoleWithWebIdentity"
        assert statement["Principal"] == {
            "Federated": f"arn:aws:iam::<ACCOUNT_ID>:oidc-provider/{host}"
        }
        assert f"{host}:aud" in statement["Condition"]["StringEquals"]
    subjects = {
        role: {
            key: value
            for operator in document["Statement"][0]["Condition"].values()
            for key, value in operator.items()
            if key.endswith(":sub")
        }
        for role, document in documents.items()
    }
    assert (
        subjects
        == {
            "github": {
                "plan": {
                    f"{host}:sub": [
                        "repo:<REPOSITORY>:pull_request",
                        "repo:<REPOSITORY>:ref:refs/heads/main",
                    ]
                },
                "apply": {f"{host}:sub": "repo:<REPOSITORY>:environment:root-access"},
            },
            "gitlab": {
                "plan": {f"{host}:sub": "project_path:<REPOSITORY>:ref_type:branch:ref:*"},
                "apply": {f"{host}:sub": "project_path:<REPOSITORY>:ref_type:branch:ref:main"},
            },
        }[ci]
    )


def _summary(tmp_path: Path, plan: Any, *args: str) -> subprocess.CompletedProcess[str]:
    path = tmp_path / "plan.json"
    path.write_text(plan if isinstance(plan, str) else json.dumps(plan))
    return subprocess.run(
        [sys.executable, str(PIPELINES / "audit_summary.py"), str(path), *args],
        capture_output=True,
        text=True,
        check=False,
    )


def test_summary_rejects_what_is_not_a_plan(tmp_path: Path):
    # given / when
    done = _summary(tmp_path, "{}")
    # then
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (
        "audit_summary: not the JSON of a plan: run terraform show -json <planfile>\n"
    )


def test_summary_treats_an_unaudited_account_as_drift(tmp_path: Path):
    # given a clean plan whose root module reports one account it could not audit
    plan = {
        "format_version": "1.2",
        "resource_changes": [],
        "checks": [],
        "output_changes": {
            "root_access": {
                "actions": ["no-op"],
                "after": {
                    "audit_summary": {"no_root_credentials": 3, "access_denied": 1, "total": 4},
                    "accounts_with_root_credentials": [],
                    "accounts_not_audited": ["999999999999"],
                    "root_credentials": {},
                },
                "after_unknown": False,
            }
        },
    }
    # when
    done = _summary(tmp_path, plan, "--fail-on-drift")
    # then
    assert done.returncode == 1
    assert done.stdout == (
        "## Root access\n\nNo resource changes.\n\n### Audit of 4 account(s)\n\n"
        "| Outcome | Accounts |\n|---|---:|\n| `access_denied` | 1 |\n"
        "| `no_root_credentials` | 3 |\n\nNo selected account holds root credentials.\n\n"
        "**Not audited (1): 999999999999**: their root credentials are unknown.\n\n"
        "**Drift:**\n\n- not audited: 999999999999\n"
    )


def _audit_summary_module() -> Any:
    import importlib.util

    spec = importlib.util.spec_from_file_location("audit_summary", PIPELINES / "audit_summary.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_summary_drift_rule_is_the_engines():
    # given the engine's not-audited outcomes (the rule of audit --fail-on and fail_on)
    from root_access.drift import NOT_AUDITED_OUTCOMES

    # when / then the standard-library script keeps exactly the same set
    assert {
        outcome.value for outcome in NOT_AUDITED_OUTCOMES
    } == _audit_summary_module().NOT_AUDITED_OUTCOMES


def test_summary_does_not_count_the_management_account_as_drift(tmp_path: Path):
    # given a clean plan whose audit skipped the management account and a SUSPENDED one
    def plan(not_audited: dict[str, Any]) -> dict[str, Any]:
        return {
            "format_version": "1.2",
            "resource_changes": [],
            "checks": [],
            "output_changes": {
                "root_access": {
                    "actions": ["no-op"],
                    "after": {
                        "audit_summary": {"total": len(not_audited)},
                        "accounts_with_root_credentials": [],
                        "accounts_not_audited": not_audited,
                        "root_credentials": {},
                    },
                    "after_unknown": False,
                }
            },
        }

    management = {"111111111111": {"outcome": "skipped_management_account", "reason": "management"}}
    suspended = {"777777777777": {"outcome": "skipped_inactive_account", "reason": "SUSPENDED"}}

    # when the drift job reads each
    only_management = _summary(tmp_path, plan(management), "--fail-on-drift")
    both = _summary(tmp_path, plan({**management, **suspended}), "--fail-on-drift")

    # then the management account alone is no drift; the SUSPENDED account is
    assert (only_management.returncode, only_management.stderr) == (0, "")
    assert both.returncode == 1
    assert both.stderr == "audit_summary: drift: not audited: 777777777777\n"
