"""The in-process Simulator: scenario building, sessions, root users, several organizations."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from botocore.exceptions import ClientError

from root_access.simulator import Scenario, Simulator
from root_access.simulator.calllog import CallRecord

TWO_ORGANIZATIONS = """
organizations:
  - management_account: "111111111111"
    trusted_access: [iam.amazonaws.com]
    features: [RootCredentialsManagement, RootSessions]
    organizational_units:
      - name: Workloads
        accounts:
          - {id: "222222222222", name: first-member, root_credentials: {password: true}}
  - management_account: "999999999999"
    feature_set: CONSOLIDATED_BILLING
    accounts:
      - {id: "888888888888", name: second-member}
"""


def paginate(client: object, operation: str, key: str, **kwargs: object) -> list[dict[str, object]]:
    pages = client.get_paginator(operation).paginate(**kwargs)  # type: ignore[attr-defined]
    return [item for page in pages for item in page[key]]


def test_default_scenario_builds_the_organization(simulator: Simulator) -> None:
    # given
    organizations = simulator.session().client("organizations")

    # when
    accounts = {a["Id"]: a for a in paginate(organizations, "list_accounts", "Accounts")}
    organization = organizations.describe_organization()["Organization"]
    delegated = organizations.list_delegated_administrators(ServicePrincipal="iam.amazonaws.com")[
        "DelegatedAdministrators"
    ]
    trusted = organizations.list_aws_service_access_for_organization()["EnabledServicePrincipals"]
    features = simulator.session().client("iam").list_organizations_features()

    # then
    assert sorted(accounts) == [
        "111111111111",
        "222222222222",
        "333333333333",
        "444444444444",
        "555555555555",
        "666666666666",
        "777777777777",
        "888888888888",
    ]
    assert accounts["777777777777"]["State"] == "SUSPENDED"
    assert accounts["888888888888"]["State"] == "PENDING_CLOSURE"
    assert accounts["222222222222"]["Name"] == "workload"
    assert organization["MasterAccountId"] == "111111111111"
    assert organization["FeatureSet"] == "ALL"
    assert [d["Id"] for d in delegated] == ["333333333333"]
    assert [t["ServicePrincipal"] for t in trusted] == ["iam.amazonaws.com"]
    assert sorted(features["EnabledFeatures"]) == ["RootCredentialsManagement", "RootSessions"]


def test_nested_organizational_units(simulator: Simulator) -> None:
    # given
    organizations = simulator.session().client("organizations")
    root_id = organizations.list_roots()["Roots"][0]["Id"]

    # when
    top = {
        ou["Name"]: ou["Id"]
        for ou in paginate(
            organizations,
            "list_organizational_units_for_parent",
            "OrganizationalUnits",
            ParentId=root_id,
        )
    }
    production = paginate(
        organizations,
        "list_organizational_units_for_parent",
        "OrganizationalUnits",
        ParentId=top["Workloads"],
    )
    in_production = paginate(
        organizations, "list_accounts_for_parent", "Accounts", ParentId=production[0]["Id"]
    )

    # then
    assert sorted(top) == ["Security", "Suspended", "Workloads"]
    assert [ou["Name"] for ou in production] == ["Production"]
    assert [a["Id"] for a in in_production] == ["666666666666"]


def test_root_user_reflects_the_scenario(simulator: Simulator) -> None:
    # when
    every_kind = simulator.root_user("222222222222")
    clean = simulator.root_user("444444444444")

    # then
    assert every_kind.password is True
    assert [k.status for k in every_kind.access_keys] == ["Active", "Inactive"]
    assert every_kind.access_keys[0].last_used_service == "s3"
    assert len(every_kind.signing_certificates) == 1
    assert [d.kind for d in every_kind.mfa_devices] == ["virtual", "fido", "hardware"]
    assert clean.has_credentials is False


def test_session_is_the_pipeline_user_of_the_management_account(simulator: Simulator) -> None:
    # when
    identity = simulator.session().client("sts").get_caller_identity()

    # then
    assert identity["Account"] == "111111111111"
    assert identity["Arn"] == "arn:aws:iam::111111111111:user/pipeline"


def test_session_in_another_account_is_created_on_first_use(simulator: Simulator) -> None:
    # when
    delegated = simulator.session("333333333333").client("sts").get_caller_identity()
    member = simulator.session("444444444444").client("sts").get_caller_identity()

    # then
    assert delegated["Arn"] == "arn:aws:iam::333333333333:user/pipeline"
    assert member["Arn"] == "arn:aws:iam::444444444444:user/pipeline"


def test_scp_denial_from_the_scenario(simulator: Simulator) -> None:
    # given
    credentials = (
        simulator.session()
        .client("sts")
        .assume_root(
            TargetPrincipal="555555555555",
            TaskPolicyArn={"arn": "arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials"},
        )["Credentials"]
    )
    import boto3

    iam = boto3.Session(
        aws_access_key_id=credentials["AccessKeyId"],
        aws_secret_access_key=credentials["SecretAccessKey"],
        aws_session_token=credentials["SessionToken"],
        region_name=simulator.region,
    ).client("iam")

    # when
    with pytest.raises(ClientError) as caught:
        iam.get_account_summary()

    # then
    assert caught.value.response["Error"]["Code"] == "AccessDenied"
    assert "explicit deny in a service control policy" in caught.value.response["Error"]["Message"]


@pytest.fixture
def two_organizations() -> Iterator[Simulator]:
    with Simulator(Scenario.loads(TWO_ORGANIZATIONS)) as running:
        yield running


def test_several_organizations_coexist(two_organizations: Simulator) -> None:
    # given
    first = two_organizations.session().client("organizations")
    second = two_organizations.session("999999999999").client("organizations")

    # when
    first_accounts = sorted(a["Id"] for a in paginate(first, "list_accounts", "Accounts"))
    second_accounts = sorted(a["Id"] for a in paginate(second, "list_accounts", "Accounts"))
    second_organization = second.describe_organization()["Organization"]

    # then
    assert first_accounts == ["111111111111", "222222222222"]
    assert second_accounts == ["888888888888", "999999999999"]
    assert second_organization["FeatureSet"] == "CONSOLIDATED_BILLING"
    assert second_organization["MasterAccountId"] == "999999999999"


def test_only_one_simulator_at_a_time(simulator: Simulator) -> None:
    # when
    with pytest.raises(RuntimeError) as caught, Simulator():
        pass

    # then
    assert str(caught.value) == "a simulator is already running in this process"


def test_session_outside_the_with_block_is_an_error() -> None:
    # given
    simulator = Simulator()

    # when
    with pytest.raises(RuntimeError) as caught:
        simulator.session()

    # then
    assert str(caught.value) == "the simulator is not running: use it in a `with` block"


def test_state_does_not_leak_between_simulators() -> None:
    # given
    with Simulator() as first:
        first.session().client("iam").create_user(UserName="leftover")

    # when
    with Simulator() as second:
        users = second.session().client("iam").list_users()["Users"]

    # then
    assert [u["UserName"] for u in users] == ["pipeline"]
    assert second.calls == [CallRecord("iam", "ListUsers", "111111111111", None)]


def test_generated_ten_thousand_accounts_build_and_list() -> None:
    # given
    scenario = Scenario.generate(accounts=10_000, with_credentials=0.3, seed=7)

    # when
    with Simulator(scenario, keep_call_records=False) as simulator:
        organizations = simulator.session().client("organizations")
        described = organizations.describe_account(AccountId="222222222222")["Account"]
        root_user = simulator.root_user("222222222222")

    # then
    assert described["Name"] == "workload"
    expected = next(a for _, a in scenario.accounts() if a.id == "222222222222")
    assert root_user.password is expected.root_credentials.password
