"""Scenario files: parsing, validation with one-line errors, packaged scenarios, round trip."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

from root_access.simulator import scenario as scenario_module
from root_access.simulator.faults import ErrorBurst, Faults, Throttle
from root_access.simulator.scenario import (
    AccessKey,
    AccessKeyLastUsed,
    Account,
    Bucket,
    RootCredentials,
    Scenario,
    ScenarioError,
    schema,
)

FULL = """
region: eu-west-1
organizations:
  - management_account: {id: "111111111111", name: mgmt, email: mgmt@example.com}
    feature_set: ALL
    trusted_access: [iam.amazonaws.com]
    features: [RootCredentialsManagement]
    delegated_administrator: "333333333333"
    accounts:
      - {id: "222222222222", name: direct}
    organizational_units:
      - name: Security
        accounts:
          - id: "333333333333"
            name: security
            root_credentials:
              password: true
              access_keys:
                - status: Inactive
                  last_used: {date: "2025-01-02T03:04:05Z", service: s3, region: us-east-1}
              signing_certificates: 2
              mfa_devices: [virtual, fido, hardware]
            scp_deny: ["iam:DeleteLoginProfile"]
        organizational_units:
          - name: Deep
            accounts:
              - {id: "444444444444", name: deep, state: SUSPENDED}
  - management_account: "999999999999"
    feature_set: CONSOLIDATED_BILLING
faults:
  latency_ms: 5
  jitter: 0.5
  throttle: [{api: "sts:AssumeRoot", rate: 2, burst: 3, per_account: false}]
  errors: [{api: "iam:ListAccessKeys", count: 2, status: 500}]
  session_expiry: {after_calls: 4}
"""


def write(tmp_path: Path, text: str, name: str = "scenario.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_load_reads_every_field(tmp_path: Path) -> None:
    # given
    path = write(tmp_path, FULL)

    # when
    scenario = Scenario.load(path)

    # then
    first, second = scenario.organizations
    assert scenario.region == "eu-west-1"
    assert first.management_account == Account(
        id="111111111111", name="mgmt", email="mgmt@example.com"
    )
    assert first.trusted_access == ("iam.amazonaws.com",)
    assert first.features == ("RootCredentialsManagement",)
    assert first.delegated_administrator == "333333333333"
    assert first.root.accounts == (Account(id="222222222222", name="direct"),)
    security = first.root.organizational_units[0].accounts[0]
    assert security.root_credentials == RootCredentials(
        password=True,
        access_keys=(
            AccessKey(
                status="Inactive",
                last_used=AccessKeyLastUsed(
                    date=datetime(2025, 1, 2, 3, 4, 5, tzinfo=timezone.utc),
                    service="s3",
                    region="us-east-1",
                ),
            ),
        ),
        signing_certificates=2,
        mfa_devices=("virtual", "fido", "hardware"),
    )
    assert security.scp_deny == ("iam:DeleteLoginProfile",)
    assert first.root.organizational_units[0].organizational_units[0].accounts[0].state == (
        "SUSPENDED"
    )
    assert [a.id for _, a in scenario.accounts()] == [
        "111111111111",
        "222222222222",
        "333333333333",
        "444444444444",
        "999999999999",
    ]
    assert second.feature_set == "CONSOLIDATED_BILLING"
    assert second.management_account == Account(id="999999999999", name="management")
    assert scenario.faults == Faults(
        latency_ms=5.0,
        jitter=0.5,
        throttle=(Throttle(api="sts:AssumeRoot", rate=2.0, burst=3.0, per_account=False),),
        errors=(ErrorBurst(api="iam:ListAccessKeys", count=2, status=500),),
        session_expiry_after_calls=4,
    )


def test_json_and_yaml_load_the_same_scenario(tmp_path: Path) -> None:
    # given
    yaml_scenario = Scenario.load(write(tmp_path, FULL))
    json_path = write(tmp_path, __import__("json").dumps(yaml_scenario.to_dict()), "s.json")

    # when
    json_scenario = Scenario.load(json_path)

    # then
    assert json_scenario.organizations == yaml_scenario.organizations
    assert json_scenario.faults == yaml_scenario.faults
    assert json_scenario.region == yaml_scenario.region


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (
            'organizations: [{management_account: "111111111111", accounts: [{id: "222222222222"},'
            ' {id: "222222222223"}, {id: "222222222224"}, {id: "12345"}]}]',
            "scenario.yaml: organizations[0].accounts[3].id: '12345' is not a 12-digit account id",
        ),
        (
            "organizations: []",
            "scenario.yaml: organizations: at least one organization is required",
        ),
        (
            'organizations: [{management_account: "111111111111", feature_set: SOME}]',
            "scenario.yaml: organizations[0].feature_set: 'SOME' is not one of ALL, "
            "CONSOLIDATED_BILLING",
        ),
        (
            'organizations: [{management_account: "111111111111", features: [RootSession]}]',
            "scenario.yaml: organizations[0].features[0]: 'RootSession' is not one of "
            "RootCredentialsManagement, RootSessions",
        ),
        (
            'organizations: [{management_account: "111111111111", organizational_units: '
            '[{name: A, accounts: [{id: "222222222222", state: CLOSED}]}]}]',
            "scenario.yaml: organizations[0].organizational_units[0].accounts[0].state: 'CLOSED' "
            "is not one of ACTIVE, SUSPENDED, PENDING_CLOSURE, PENDING_ACTIVATION",
        ),
        (
            'organizations: [{management_account: "111111111111", accounts: [{id: "222222222222",'
            " root_credentials: {mfa_devices: [yubikey]}}]}]",
            "scenario.yaml: organizations[0].accounts[0].root_credentials.mfa_devices[0]: "
            "'yubikey' is not one of virtual, fido, hardware",
        ),
        (
            'organizations: [{management_account: "111111111111", accounts: [{id: "222222222222",'
            " root_credentials: {mfa_devices: [virtual, virtual, virtual, virtual, virtual, "
            "virtual, virtual, virtual, virtual]}}]}]",
            "scenario.yaml: organizations[0].accounts[0].root_credentials.mfa_devices: "
            "a root user has at most 8 MFA devices",
        ),
        (
            'organizations: [{management_account: "111111111111", accounts: [{id: "222222222222",'
            " passwd: true}]}]",
            "scenario.yaml: organizations[0].accounts[0].passwd: unknown field (expected one of: "
            "id, name, email, state, root_credentials, scp_deny, service_control_policies, "
            "buckets, queues)",
        ),
        (
            'organizations: [{management_account: "111111111111", accounts: '
            '[{id: "111111111111"}]}]',
            "scenario.yaml: organizations[0].accounts[0].id: '111111111111' already appears at "
            "organizations[0].management_account",
        ),
        (
            'organizations: [{management_account: "111111111111", delegated_administrator: '
            '"333333333333"}]',
            "scenario.yaml: organizations[0].delegated_administrator: '333333333333' is not an "
            "account of this organization",
        ),
        (
            'organizations: [{management_account: "111111111111", accounts: [{id: "222222222222",'
            " scp_deny: [DeleteLoginProfile]}]}]",
            "scenario.yaml: organizations[0].accounts[0].scp_deny[0]: 'DeleteLoginProfile' is not "
            "an action like iam:DeleteLoginProfile",
        ),
        (
            'organizations: [{management_account: "111111111111"}]\nfaults: {throttle: [{api: x,'
            " rate: 1}]}",
            "scenario.yaml: faults.throttle[0].api: 'x' is not an API like sts:AssumeRoot or iam:*",
        ),
        (
            'organizations: [{management_account: "111111111111"}]\nfaults: {errors: '
            '[{api: "iam:*", count: 1, status: 404}]}',
            "scenario.yaml: faults.errors[0].status: 404 is not one of 500, 503",
        ),
        (
            "organizations: [{management_account: 111111111111}]\nregion: moon",
            "scenario.yaml: region: 'moon' is not a Region name like us-east-1",
        ),
        (
            "organizations: [",
            "scenario.yaml: invalid YAML: expected the node content, but found '<stream end>' "
            "at line 1",
        ),
    ],
)
def test_malformed_scenario_names_the_bad_field(
    tmp_path: Path, document: str, message: str
) -> None:
    # given
    path = write(tmp_path, document)

    # when
    with pytest.raises(ScenarioError) as caught:
        Scenario.load(path)

    # then
    assert str(caught.value) == message


def test_unquoted_account_ids_are_read_as_12_digits(tmp_path: Path) -> None:
    # given: YAML reads unquoted ids as integers
    path = write(
        tmp_path,
        "organizations: [{management_account: 111111111111, accounts: [{id: 222222222222}]}]",
    )

    # when
    scenario = Scenario.load(path)

    # then
    assert [a.id for _, a in scenario.accounts()] == ["111111111111", "222222222222"]


def test_missing_file_is_a_scenario_error(tmp_path: Path) -> None:
    # when
    with pytest.raises(ScenarioError) as caught:
        Scenario.load(tmp_path / "absent.yaml")

    # then
    assert str(caught.value) == "absent.yaml: cannot read: No such file or directory"


def test_packaged_default_has_features_on_and_the_usual_accounts() -> None:
    # when
    scenario = Scenario.default()

    # then
    organization = scenario.organizations[0]
    assert organization.management_account.id == "111111111111"
    assert organization.features == ("RootCredentialsManagement", "RootSessions")
    assert organization.trusted_access == ("iam.amazonaws.com",)
    assert organization.delegated_administrator == "333333333333"
    accounts = {a.id: a for _, a in scenario.accounts()}
    assert accounts["222222222222"].root_credentials.mfa_devices == ("virtual", "fido", "hardware")
    assert accounts["555555555555"].scp_deny == ("*",)
    assert accounts["777777777777"].state == "SUSPENDED"


def test_packaged_demo_matches_the_demo_story() -> None:
    # when
    scenario = Scenario.packaged("demo")

    # then
    organization = scenario.organizations[0]
    accounts = [a for _, a in scenario.accounts()]
    assert len(accounts) == 50
    assert organization.features == ()
    assert organization.trusted_access == ()
    assert organization.delegated_administrator is None
    assert "333333333333" in [a.id for a in accounts]
    assert [a.id for a in accounts if a.state == "SUSPENDED"] == ["100000000033"]
    assert [a.id for a in accounts if a.scp_deny or a.service_control_policies] == []
    sandbox = next(ou for ou in organization.root.organizational_units if ou.name == "Sandbox")
    assert [scp.name for scp in sandbox.service_control_policies] == ["deny-root-user"]
    assert json.loads(sandbox.service_control_policies[0].document)["Statement"] == [
        {
            "Sid": "DenyRootUser",
            "Effect": "Deny",
            "Action": "*",
            "Resource": "*",
            "Condition": {"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*:root"}},
        }
    ]
    assert [a.id for a in sandbox.accounts] == [f"1000000000{n}" for n in range(27, 33)]
    every_kind = next(a for a in accounts if a.id == "222222222222").root_credentials
    assert every_kind.password
    assert [k.status for k in every_kind.access_keys] == ["Active", "Inactive"]
    assert every_kind.signing_certificates == 1
    assert every_kind.mfa_devices == ("virtual", "fido", "hardware")


def test_unknown_packaged_scenario_is_a_scenario_error() -> None:
    # when
    with pytest.raises(ScenarioError) as caught:
        Scenario.packaged("nope")

    # then
    assert str(caught.value) == (
        "nope: no such packaged scenario (packaged: break-glass, default, demo; "
        "or give a file path)"
    )


def test_to_dict_round_trips(tmp_path: Path) -> None:
    # given
    scenario = Scenario.load(write(tmp_path, FULL))

    # when
    again = Scenario.from_dict(scenario.to_dict())

    # then
    assert again.organizations == scenario.organizations
    assert again.faults == scenario.faults


def test_named_reads_a_file_or_a_packaged_scenario(tmp_path: Path) -> None:
    # given
    path = write(tmp_path, 'organizations: [{management_account: "999999999999"}]')

    # when
    from_file = Scenario.named(str(path))
    packaged = Scenario.named("demo")

    # then
    assert from_file.organizations[0].management_account.id == "999999999999"
    assert packaged.source == "demo.yaml"


# ---------------------------------------------------------------------------
# Buckets, queues, SCP documents, task features, the pipeline policy; the schema


def test_the_break_glass_scenario_declares_locks_and_scp_documents() -> None:
    # when
    scenario = Scenario.packaged("break-glass")
    # then
    organization = scenario.organizations[0]
    accounts = {a.id: a for _, a in scenario.accounts()}
    workload = accounts["222222222222"]
    [root_scp] = organization.root.service_control_policies
    quarantine = next(
        ou for ou in organization.root.organizational_units if ou.name == "Quarantine"
    )
    assert [b.name for b in workload.buckets] == ["locked-bucket", "open-bucket"]
    assert workload.buckets[1] == Bucket(name="open-bucket")
    assert json.loads(workload.buckets[0].policy or "")["Statement"][0]["Effect"] == "Deny"
    assert [q.name for q in workload.queues] == ["locked-queue"]
    assert root_scp.name == "deny-root-user-except-root-sessions"
    assert json.loads(root_scp.document)["Statement"][0]["Condition"]["Null"] == {
        "aws:AssumedRoot": "true"
    }
    assert [s.name for s in quarantine.service_control_policies] == ["deny-root"]
    assert organization.task_features["S3UnlockBucketPolicy"] == "RootSessions"


def test_pipeline_policy_is_read_from_a_path_next_to_the_scenario(tmp_path: Path) -> None:
    # given a policy file beside the scenario
    policy = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*"}]}
    (tmp_path / "pipeline.json").write_text(json.dumps(policy))
    path = write(
        tmp_path,
        'organizations: [{management_account: "111111111111", pipeline: {policy: pipeline.json}}]',
    )
    # when
    scenario = Scenario.load(path)
    # then
    pipeline = scenario.organizations[0].pipeline
    assert pipeline is not None
    assert (json.loads(pipeline.policy), pipeline.account_id) == (policy, None)
    assert Scenario.from_dict(scenario.to_dict()).organizations == scenario.organizations


def test_new_keys_round_trip(tmp_path: Path) -> None:
    # given the packaged break-glass scenario
    scenario = Scenario.packaged("break-glass")
    # when
    again = Scenario.from_dict(json.loads(json.dumps(scenario.to_dict())))
    # then
    assert again.organizations == scenario.organizations


ORG = 'organizations: [{management_account: "111111111111", '


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (
            ORG + 'accounts: [{id: "222222222222", buckets: [Bad_Bucket]}]}]',
            "scenario.yaml: organizations[0].accounts[0].buckets[0]: 'Bad_Bucket' is not a "
            "bucket name (3-63 lowercase letters, digits, dots and hyphens)",
        ),
        (
            ORG + 'accounts: [{id: "222222222222", buckets: [b-one]}, '
            '{id: "333333333333", buckets: [{name: b-one}]}]}]',
            "scenario.yaml: organizations[0].accounts[1].buckets[0].name: 'b-one' already "
            "appears at organizations[0].accounts[0].buckets[0].name (bucket names are global)",
        ),
        (
            ORG + 'accounts: [{id: "222222222222", queues: [{name: q, policy: 3}]}]}]',
            "scenario.yaml: organizations[0].accounts[0].queues[0].policy: expected a policy "
            "document (a mapping or JSON text), got 3",
        ),
        (
            ORG + 'accounts: [{id: "222222222222", queues: [{name: q, policy: {Statement: '
            "[{Effect: Deny, Action: '*', Condition: {DateGreaterThan: {a: b}}}]}}]}]}]",
            "scenario.yaml: organizations[0].accounts[0].queues[0].policy: Statement[0]."
            "Condition: operator DateGreaterThan is not modelled (use one of ArnEquals, "
            "ArnEqualsIfExists, ArnLike, ArnLikeIfExists, ArnNotEquals, ArnNotEqualsIfExists, "
            "ArnNotLike, ArnNotLikeIfExists, Bool, BoolIfExists, Null, StringEquals, "
            "StringEqualsIfExists, StringEqualsIgnoreCase, StringEqualsIgnoreCaseIfExists, "
            "StringLike, StringLikeIfExists, StringNotEquals, StringNotEqualsIfExists, "
            "StringNotEqualsIgnoreCase, StringNotEqualsIgnoreCaseIfExists, StringNotLike, "
            "StringNotLikeIfExists)",
        ),
        (
            ORG + "service_control_policies: [{name: p, document: {Statement: []}}], "
            "organizational_units: [{name: A, service_control_policies: [{name: p, document: "
            "{Statement: [{Effect: Deny, Action: '*'}]}}]}]}]",
            "scenario.yaml: organizations[0].organizational_units[0].service_control_policies[0]"
            ".name: 'p' is already an SCP with another document at "
            "organizations[0].service_control_policies[0]",
        ),
        (
            ORG + "service_control_policies: [{document: {Statement: []}}]}]",
            "scenario.yaml: organizations[0].service_control_policies[0].name: is required",
        ),
        (
            ORG + "task_features: {IAMCreateRootUserPassword: Root}}]",
            "scenario.yaml: organizations[0].task_features.IAMCreateRootUserPassword: 'Root' is "
            "not one of RootCredentialsManagement, RootSessions",
        ),
        (
            ORG + "task_features: {IAMRecoverPassword: RootSessions}}]",
            "scenario.yaml: organizations[0].task_features.IAMRecoverPassword: unknown field "
            "(expected one of: IAMAuditRootUserCredentials, IAMCreateRootUserPassword, "
            "IAMDeleteRootUserCredentials, S3UnlockBucketPolicy, SQSUnlockQueuePolicy)",
        ),
        (
            ORG + "pipeline: {policy: absent.json}}]",
            "scenario.yaml: organizations[0].pipeline.policy: cannot read absent.json: "
            "No such file or directory",
        ),
        (
            ORG + 'pipeline: {policy: {Statement: []}, account_id: "999999999999"}}]',
            "scenario.yaml: organizations[0].pipeline.account_id: '999999999999' is not an "
            "account of this organization",
        ),
        (
            'organizations: [{management_account: {id: "111111111111", state: ACTIVE}}]',
            "scenario.yaml: organizations[0].management_account.state: unknown field "
            "(expected one of: id, name, email)",
        ),
        (
            "organizations: [{accounts: []}]",
            "scenario.yaml: organizations[0].management_account: is required",
        ),
        (
            'organizations: {management_account: "111111111111"}',
            "scenario.yaml: organizations: expected a list, got a mapping",
        ),
        (
            ORG + 'accounts: [{id: "222222222222", root_credentials: {password: "yes"}}]}]',
            "scenario.yaml: organizations[0].accounts[0].root_credentials.password: expected "
            "true or false, got 'yes'",
        ),
    ],
)
def test_new_keys_are_validated_with_one_line_errors(
    tmp_path: Path, document: str, message: str
) -> None:
    # given
    path = write(tmp_path, document)
    # when
    with pytest.raises(ScenarioError) as caught:
        Scenario.load(path)
    # then
    assert str(caught.value) == message


def test_the_schema_is_a_valid_json_schema() -> None:
    # given the packaged schema
    from jsonschema import Draft202012Validator

    # when / then it is a valid 2020-12 schema that accepts the packaged scenarios
    Draft202012Validator.check_schema(schema())
    import yaml

    for name in ("default", "demo", "break-glass"):
        text = (Path(scenario_module.__file__).parent / "scenarios" / f"{name}.yaml").read_text()
        assert list(Draft202012Validator(schema()).iter_errors(yaml.safe_load(text))) == []


def test_the_documented_complete_example_is_a_valid_scenario() -> None:
    # given the "complete example" of docs/simulator.md
    docs = Path(__file__).resolve().parents[2] / "docs"
    text = (docs / "simulator.md").read_text(encoding="utf-8")
    example = text.split("A complete example:\n\n```yaml\n", 1)[1].split("```", 1)[0]
    # when it is read as a file in docs/ (its pipeline policy path is relative to it)
    scenario = Scenario.loads(example, source="simulator.md", base_dir=docs)
    # then every new key is there
    first = scenario.organizations[0]
    accounts = {a.id: a for _, a in scenario.accounts()}
    assert [b.name for b in accounts["555555555555"].buckets] == ["locked-bucket", "open-bucket"]
    assert [q.name for q in accounts["555555555555"].queues] == ["locked-queue"]
    assert first.task_features == {"IAMCreateRootUserPassword": "RootCredentialsManagement"}
    assert first.pipeline is not None
    assert json.loads(first.pipeline.policy)["Version"] == "2012-10-17"
