"""The seeded generator of large organizations."""

from __future__ import annotations

from collections import Counter

import pytest

from root_access.simulator.scenario import OrganizationalUnit, Scenario


def depth(ou: OrganizationalUnit) -> int:
    return 1 + max((depth(child) for child in ou.organizational_units), default=0)


def test_same_seed_same_organization() -> None:
    # when
    first = Scenario.generate(accounts=500, with_credentials=0.3, seed=7)
    second = Scenario.generate(accounts=500, with_credentials=0.3, seed=7)

    # then
    assert first.organizations == second.organizations


def test_other_seed_other_organization() -> None:
    # when
    first = Scenario.generate(accounts=500, with_credentials=0.3, seed=7)
    second = Scenario.generate(accounts=500, with_credentials=0.3, seed=8)

    # then
    assert first.organizations != second.organizations


def test_generated_organization_shape() -> None:
    # when
    scenario = Scenario.generate(accounts=2001, with_credentials=0.3, seed=1)

    # then
    organization = scenario.organizations[0]
    accounts = [a for _, a in scenario.accounts()]
    ids = [a.id for a in accounts]
    assert len(accounts) == 2001
    assert len(set(ids)) == 2001
    assert ids[0] == "111111111111"
    assert {"222222222222", "333333333333"} <= set(ids)
    assert organization.delegated_administrator == "333333333333"
    assert organization.features == ("RootCredentialsManagement", "RootSessions")
    assert organization.trusted_access == ("iam.amazonaws.com",)
    assert sum(1 for a in accounts if a.root_credentials.any) == 600
    assert Counter(a.state for a in accounts) == Counter(
        {"ACTIVE": 1989, "SUSPENDED": 10, "PENDING_CLOSURE": 2}
    )
    assert depth(organization.root) == 4  # root / Workloads / Production / Team-NN
    suspended_ou = next(o for o in organization.root.organizational_units if o.name == "Suspended")
    assert {a.state for a in suspended_ou.accounts} == {"SUSPENDED", "PENDING_CLOSURE"}


def test_credentials_mix_every_kind() -> None:
    # when
    scenario = Scenario.generate(accounts=300, with_credentials=0.5, seed=3)

    # then
    credentials = [a.root_credentials for _, a in scenario.accounts() if a.root_credentials.any]
    assert any(c.password for c in credentials)
    assert {k.status for c in credentials for k in c.access_keys} == {"Active", "Inactive"}
    assert any(c.signing_certificates for c in credentials)
    assert {m for c in credentials for m in c.mfa_devices} == {"virtual", "fido", "hardware"}


def test_generated_scenario_validates_as_a_document() -> None:
    # given
    scenario = Scenario.generate(accounts=200, with_credentials=0.3, seed=5)

    # when
    again = Scenario.from_dict(scenario.to_dict())

    # then
    assert again.organizations == scenario.organizations


def test_no_credentials_and_no_features() -> None:
    # when
    scenario = Scenario.generate(
        accounts=50,
        with_credentials=0.0,
        seed=0,
        features=(),
        trusted_access=False,
        delegated_administrator=None,
    )

    # then
    organization = scenario.organizations[0]
    assert not any(a.root_credentials.any for _, a in scenario.accounts())
    assert organization.features == ()
    assert organization.trusted_access == ()
    assert organization.delegated_administrator is None


def test_ten_thousand_accounts() -> None:
    # when
    scenario = Scenario.generate(accounts=10_000, with_credentials=0.3, seed=7)

    # then
    accounts = [a for _, a in scenario.accounts()]
    assert len(accounts) == 10_000
    assert sum(1 for a in accounts if a.root_credentials.any) == 3000


@pytest.mark.parametrize(
    ("accounts", "fraction", "message"),
    [
        (1, 0.3, "accounts must be at least 2 (management and security), got 1"),
        (10, 1.5, "with_credentials must be a fraction between 0 and 1, got 1.5"),
    ],
)
def test_bad_arguments(accounts: int, fraction: float, message: str) -> None:
    # when
    with pytest.raises(ValueError, match=r".*") as caught:
        Scenario.generate(accounts=accounts, with_credentials=fraction)

    # then
    assert str(caught.value) == message


def test_unknown_feature_is_refused() -> None:
    # when
    with pytest.raises(ValueError, match=r".*") as caught:
        Scenario.generate(accounts=10, features=("RootSession",))

    # then
    assert str(caught.value) == (
        "'RootSession' is not one of RootCredentialsManagement, RootSessions"
    )
