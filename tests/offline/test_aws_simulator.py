"""The aws stand-in against the project's simulator: IAM organization root features and the
IAM delegated administrator (moto has neither).

Run with the session engine only: each test starts a simulator server, and the stand-in's
behaviour does not depend on the engine (test_aws.py covers both engines).
"""

from __future__ import annotations

import json

import boto3
import pytest

from root_access.simulator import Scenario, SimulatorServer

pytestmark = [pytest.mark.terraform, pytest.mark.server]

BOTH = '["RootCredentialsManagement","RootSessions"]'


def scenario(*, features, delegated_administrator):
    """The default scenario with the given features and IAM delegated administrator."""
    data = Scenario.default().to_dict()
    organization = data["organizations"][0]
    organization["features"] = features
    if delegated_administrator is None:
        organization.pop("delegated_administrator", None)
    else:
        organization["delegated_administrator"] = delegated_administrator
    return Scenario.from_dict(data)


def client(env, service):
    return boto3.Session(
        aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"],
        region_name=env["AWS_REGION"],
    ).client(service, endpoint_url=env["AWS_ENDPOINT_URL"])


def enabled(env):
    return sorted(client(env, "iam").list_organizations_features()["EnabledFeatures"])


def test_features_create_update_replan_destroy(session_workdir):
    # given an organization with trusted access for IAM and no root-access feature
    with SimulatorServer(scenario(features=[], delegated_administrator=None)) as server:
        wd = session_workdir("aws_features", env=server.env)
        wd.run("init")
        organization_id = client(server.env, "organizations").describe_organization()[
            "Organization"
        ]["Id"]
        # when created with one feature, updated to both, re-planned, destroyed
        created = wd.run(
            "apply",
            "-auto-approve",
            "-no-color",
            "-var",
            'enabled_features=["RootCredentialsManagement"]',
        )
        after_create = enabled(server.env)
        updated = wd.run("apply", "-auto-approve", "-no-color", "-var", f"enabled_features={BOTH}")
        after_update = enabled(server.env)
        replan = wd.run(
            "plan", "-detailed-exitcode", "-no-color", "-var", f"enabled_features={BOTH}"
        )
        output_id = json.loads(wd.run("output", "-json").stdout)["id"]["value"]
        destroyed = wd.run(
            "destroy", "-auto-approve", "-no-color", "-var", f"enabled_features={BOTH}"
        )
        after_destroy = enabled(server.env)
    # then
    assert created.returncode == 0, created.stderr
    assert after_create == ["RootCredentialsManagement"]
    assert updated.returncode == 0, updated.stderr
    assert after_update == ["RootCredentialsManagement", "RootSessions"]
    assert replan.returncode == 0, replan.stdout
    assert output_id == organization_id
    assert destroyed.returncode == 0, destroyed.stderr
    assert after_destroy == []


def test_features_import_by_organization_id(session_workdir):
    # given an organization whose features were enabled in the console
    with SimulatorServer(
        scenario(
            features=["RootCredentialsManagement", "RootSessions"], delegated_administrator=None
        )
    ) as server:
        wd = session_workdir("aws_features", env=server.env)
        wd.run("init")
        organization_id = client(server.env, "organizations").describe_organization()[
            "Organization"
        ]["Id"]
        # when imported by organization id and planned with both features
        imported = wd.run(
            "import",
            "-no-color",
            "-var",
            f"enabled_features={BOTH}",
            "aws_iam_organizations_features.this",
            organization_id,
        )
        plan = wd.run("plan", "-detailed-exitcode", "-no-color", "-var", f"enabled_features={BOTH}")
    # then nothing is left to change
    assert imported.returncode == 0, imported.stderr
    assert plan.returncode == 0, plan.stdout


def test_features_create_enables_every_planned_feature_then_lists_once(session_workdir):
    # given an organization where RootCredentialsManagement is already on
    with SimulatorServer(
        scenario(features=["RootCredentialsManagement"], delegated_administrator=None)
    ) as server:
        wd = session_workdir("aws_features", env=server.env)
        wd.run("init")
        server.clear_calls()
        # when both features are created
        created = wd.run("apply", "-auto-approve", "-no-color", "-var", f"enabled_features={BOTH}")
        iam_calls = [c.action for c in server.calls() if c.service == "iam"]
    # then, as updateOrganizationFeatures(planned, []) in organizations_features.go,
    # Enable is called for every planned feature, without listing first, then one list
    assert created.returncode == 0, created.stderr
    assert iam_calls == [
        "EnableOrganizationsRootCredentialsManagement",
        "EnableOrganizationsRootSessions",
        "ListOrganizationsFeatures",
    ]


def test_features_import_accepts_any_id_and_read_keeps_it(session_workdir):
    # given an organization whose features were enabled in the console
    with SimulatorServer(
        scenario(
            features=["RootCredentialsManagement", "RootSessions"], delegated_administrator=None
        )
    ) as server:
        wd = session_workdir("aws_features", env=server.env)
        wd.run("init")
        # when imported by an id that is not the organization id, then refreshed
        imported = wd.run(
            "import",
            "-no-color",
            "-var",
            f"enabled_features={BOTH}",
            "aws_iam_organizations_features.this",
            "imported-by-hand",
        )
        refreshed = wd.run("apply", "-refresh-only", "-auto-approve", "-no-color", "-var",
                           f"enabled_features={BOTH}")  # fmt: skip
        shown = json.loads(wd.run("show", "-json").stdout)
    # then WithImportByID kept the id as given and Read never rewrote it
    [resource] = shown["values"]["root_module"]["resources"]
    assert imported.returncode == 0, imported.stderr
    assert refreshed.returncode == 0, refreshed.stderr
    assert resource["values"] == {
        "id": "imported-by-hand",
        "enabled_features": ["RootCredentialsManagement", "RootSessions"],
    }


def test_features_import_with_nothing_enabled_is_a_non_existent_object(session_workdir):
    # given an organization with no root-access feature
    with SimulatorServer(scenario(features=[], delegated_administrator=None)) as server:
        wd = session_workdir("aws_features", env=server.env)
        wd.run("init")
        organization_id = client(server.env, "organizations").describe_organization()[
            "Organization"
        ]["Id"]
        # when imported by the organization id
        imported = wd.run(
            "import",
            "-no-color",
            "-var",
            f"enabled_features={BOTH}",
            "aws_iam_organizations_features.this",
            organization_id,
        )
    # then the empty list is "not found" (findOrganizationsFeatures)
    assert imported.returncode == 1
    assert "Cannot import non-existent remote object" in imported.stderr


def test_features_disabled_out_of_band_drop_from_state(session_workdir):
    # given applied features, then disabled outside Terraform
    with SimulatorServer(scenario(features=[], delegated_administrator=None)) as server:
        wd = session_workdir("aws_features", env=server.env)
        wd.run("init")
        wd.run("apply", "-auto-approve", "-var", f"enabled_features={BOTH}")
        iam = client(server.env, "iam")
        iam.disable_organizations_root_sessions()
        iam.disable_organizations_root_credentials_management()
        # when planned
        plan = wd.run("plan", "-json", "-var", f"enabled_features={BOTH}")
    # then the empty read dropped the resource, so it is planned for creation again
    changes = [
        json.loads(line) for line in plan.stdout.splitlines() if '"type":"planned_change"' in line
    ]
    assert [(c["change"]["resource"]["addr"], c["change"]["action"]) for c in changes] == [
        ("aws_iam_organizations_features.this", "create")
    ]


def test_iam_delegated_administrator_registered_and_deregistered(session_workdir):
    # given an organization without an IAM delegated administrator
    with SimulatorServer(scenario(features=[], delegated_administrator=None)) as server:
        wd = session_workdir("aws_iam_admin", env=server.env)
        wd.run("init")
        organizations = client(server.env, "organizations")
        # when applied, re-planned and destroyed
        applied = wd.run("apply", "-auto-approve", "-no-color")
        registered = organizations.list_delegated_administrators(
            ServicePrincipal="iam.amazonaws.com"
        )["DelegatedAdministrators"]
        output = json.loads(wd.run("output", "-json").stdout)["delegated_administrator"]["value"]
        replan = wd.run("plan", "-detailed-exitcode", "-no-color")
        destroyed = wd.run("destroy", "-auto-approve", "-no-color")
        after = organizations.list_delegated_administrators(ServicePrincipal="iam.amazonaws.com")[
            "DelegatedAdministrators"
        ]
    # then
    assert applied.returncode == 0, applied.stderr
    assert [a["Id"] for a in registered] == ["333333333333"]
    assert output["id"] == "333333333333/iam.amazonaws.com"
    assert output["name"] == "security"
    assert replan.returncode == 0, replan.stdout
    assert destroyed.returncode == 0, destroyed.stderr
    assert after == []
