"""The organization-root-access module applied through the root module, for real.

Field cases: TF-FEATURES-LIFECYCLE (destroy guard, import by organization id, features
disabled out of band), ORG-TRUSTED-ACCESS (precondition).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import tftest

from root_access.simulator import SimulatorServer

pytestmark = [pytest.mark.terraform, pytest.mark.server]

FEATURES = ["RootCredentialsManagement", "RootSessions"]
ALREADY_ON = {"enable_trusted_access": False, "delegated_administrator_account_id": None}


@pytest.fixture
def applied(workspace: Path, terraform, fresh_organization: SimulatorServer, root_variables):
    """The root module applied on a fresh organization."""
    tf = terraform(workspace, fresh_organization, root_variables())
    tf.init()
    tf.apply()
    return tf, fresh_organization


def test_destroy_is_guarded_and_lifting_the_guard_disables_the_features(
    applied, organization_state
):
    # given an applied organization
    tf, server = applied
    # when
    with pytest.raises(tftest.TerraformTestError) as refused:
        tf.run("destroy", "-input=false", "-no-color", "-auto-approve")
    # then prevent_destroy stops it and the features stay on
    assert "Instance cannot be destroyed" in refused.value.args[0]
    assert organization_state(server).features() == FEATURES
    # when the guard is lifted in a copy of the module, as the README says
    main = tf.directory / "modules" / "organization-root-access" / "main.tf"
    main.write_text(main.read_text().replace("prevent_destroy = true", "prevent_destroy = false"))
    tf.run("destroy", "-input=false", "-no-color", "-auto-approve")
    # then the features are off and the delegated administrator is deregistered
    assert organization_state(server).features() == []
    assert organization_state(server).delegated_administrators() == []


def test_missing_trusted_access_stops_the_plan(
    workspace: Path, terraform, fresh_organization: SimulatorServer, root_variables
):
    # given trusted access for IAM is off and not asked for
    tf = terraform(workspace, fresh_organization, root_variables(enable_trusted_access=False))
    tf.init()
    # when
    with pytest.raises(tftest.TerraformTestError) as stopped:
        tf.run("plan", "-input=false", "-no-color")
    # then the precondition says how to add it
    message = " ".join(stopped.value.args[0].split())
    assert "Trusted access for iam.amazonaws.com is not enabled" in message
    assert "aws organizations enable-aws-service-access --service-principal iam.amazonaws.com" in (
        message
    )
    assert "enable_trusted_access = true" in message


def test_features_enabled_in_the_console_are_imported_by_organization_id(
    workspace: Path, terraform, simulator_server: SimulatorServer, client, root_variables
):
    # given an organization whose features were enabled outside Terraform
    tf = terraform(workspace, simulator_server, root_variables(**ALREADY_ON))
    tf.init()
    organization_id = client(simulator_server, "organizations").describe_organization()[
        "Organization"
    ]["Id"]
    # when
    tf.run(
        "import",
        "-input=false",
        "-no-color",
        "module.organization_root_access.aws_iam_organizations_features.this[0]",
        organization_id,
    )
    # then the plan leaves the features alone
    changes = dict(tf.changes())
    assert "module.organization_root_access.aws_iam_organizations_features.this[0]" not in changes


def test_features_disabled_out_of_band_are_enabled_again(
    workspace: Path,
    terraform,
    simulator_server: SimulatorServer,
    client,
    root_variables,
    organization_state,
):
    # given an applied organization whose features someone disabled in the console
    variables = root_variables(remove_root_credentials=False, **ALREADY_ON)
    tf = terraform(workspace, simulator_server, variables)
    tf.init()
    tf.apply()
    iam = client(simulator_server, "iam")
    iam.disable_organizations_root_sessions()
    iam.disable_organizations_root_credentials_management()
    # when the read finds an empty list, the resource leaves state (TF-FEATURES-LIFECYCLE)
    changes = dict(tf.changes())
    tf.apply()
    # then the next apply enables them again
    assert changes["module.organization_root_access.aws_iam_organizations_features.this[0]"] == (
        "create",
    )
    assert organization_state(simulator_server).features() == FEATURES
