"""Enable and disable centralized root access: idempotent, management account only."""

from __future__ import annotations

import pytest

from root_access import PreflightError, UsageError, disable, enable
from root_access.simulator import Scenario, Simulator

BARE = """
region: us-east-1
organizations:
  - management_account: {id: "111111111111", name: management, email: m@example.com}
    feature_set: ALL
    accounts:
      - {id: "333333333333", name: security}
      - {id: "222222222222", name: member}
"""


@pytest.fixture
def bare() -> Simulator:
    with Simulator(Scenario.loads(BARE)) as sim:
        yield sim  # type: ignore[misc]


def test_enable_turns_on_everything_missing(bare: Simulator) -> None:
    # given an organization with nothing enabled
    # when
    result = enable(bare.session(), trusted_access=True, delegated_administrator="333333333333")
    # then
    shape = result.to_dict()
    assert shape.pop("organization_id").startswith("o-")
    assert shape == {
        "trusted_access": True,
        "enabled_features": ["RootCredentialsManagement", "RootSessions"],
        "delegated_administrators": ["333333333333"],
        "changes": [
            "EnableAWSServiceAccess",
            "EnableOrganizationsRootCredentialsManagement",
            "EnableOrganizationsRootSessions",
            "RegisterDelegatedAdministrator",
        ],
        "changed": True,
    }


def test_enable_is_idempotent_and_calls_only_the_difference(bare: Simulator) -> None:
    # given a first enable
    session = bare.session()
    enable(session, trusted_access=True, delegated_administrator="333333333333")
    bare.call_log.clear()
    # when
    again = enable(session, trusted_access=True, delegated_administrator="333333333333")
    # then
    assert (again.changes, again.changed) == ((), False)
    writes = {
        "EnableAWSServiceAccess",
        "EnableOrganizationsRootCredentialsManagement",
        "EnableOrganizationsRootSessions",
        "RegisterDelegatedAdministrator",
    }
    assert not writes & {c.action for c in bare.calls}


def test_org_trusted_access_enable_without_it_says_how(bare: Simulator) -> None:
    # given trusted access is off and not asked for
    # when
    with pytest.raises(PreflightError) as raised:
        enable(bare.session())
    # then
    assert raised.value.case == "ORG-TRUSTED-ACCESS"
    assert str(raised.value).startswith("trusted access for iam.amazonaws.com is off: run ")


def test_org_wrong_caller_enable_needs_the_management_account(simulator: Simulator) -> None:
    # given the IAM delegated administrator as caller
    # when
    with pytest.raises(PreflightError) as raised:
        enable(simulator.session("333333333333"))
    # then
    assert raised.value.case == "ORG-WRONG-CALLER"
    assert str(raised.value) == (
        "enabling centralized root access needs the management account (111111111111); the "
        "caller is in 333333333333"
    )
    assert not any(c.action.startswith("Enable") for c in simulator.calls)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"features": ["RootSession"]},
            "unknown feature 'RootSession': choose from RootCredentialsManagement, RootSessions",
        ),
        (
            {"features": []},
            "no feature given: choose from RootCredentialsManagement, RootSessions",
        ),
        (
            {"delegated_administrator": "33333333333"},
            "malformed delegated administrator '33333333333': account ids are 12-digit "
            "strings, e.g. 333333333333",
        ),
    ],
)
def test_bad_enable_input_makes_no_aws_call(
    simulator: Simulator, kwargs: dict[str, object], message: str
) -> None:
    # given / when
    with pytest.raises(UsageError) as raised:
        enable(simulator.session(), **kwargs)  # type: ignore[arg-type]
    # then
    assert str(raised.value) == message
    assert simulator.calls == []


def test_disable_turns_off_only_what_is_asked(simulator: Simulator) -> None:
    # given both features on and a delegated administrator
    # when
    result = disable(
        simulator.session(), features=["RootSessions"], delegated_administrator="333333333333"
    )
    # then
    assert (result.changes, result.enabled_features, result.delegated_administrators) == (
        ("DeregisterDelegatedAdministrator", "DisableOrganizationsRootSessions"),
        ("RootCredentialsManagement",),
        (),
    )
    again = disable(simulator.session(), features=["RootSessions"])
    assert again.changes == ()
