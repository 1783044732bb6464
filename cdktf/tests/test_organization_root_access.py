"""OrganizationRootAccess: the organization-root-access module as a construct."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from root_access_cdktf import OrganizationRootAccess
from root_access_cdktf.cdk import cdk


def test_props_reach_the_module_block(stack: Any, synth: Callable[[Any], dict[str, Any]]) -> None:
    # given the features, a delegated administrator and opt-in trusted access
    OrganizationRootAccess(
        stack,
        "organization",
        enabled_features=["RootCredentialsManagement", "RootSessions"],
        delegated_administrator_account_id="333333333333",
        enable_trusted_access=True,
        region="eu-west-1",
    )

    # when synthesized
    module = synth(stack)["module"]["organization"]

    # then the module block points at modules/organization-root-access with those variables
    assert module == {
        "source": "<repository>/modules/organization-root-access",
        "enabled_features": ["RootCredentialsManagement", "RootSessions"],
        "delegated_administrator_account_id": "333333333333",
        "enable_trusted_access": True,
        "region": "eu-west-1",
    }


def test_outputs_reference_the_module(stack: Any, synth: Callable[[Any], dict[str, Any]]) -> None:
    # given outputs wired to the construct's outputs
    organization = OrganizationRootAccess(stack, "organization")
    values = {
        "organization_id": organization.organization_id,
        "management_account_id": organization.management_account_id,
        "enabled_features": organization.enabled_features,
        "delegated_administrator_account_id": organization.delegated_administrator_account_id,
        "trusted_access_enabled_by_module": organization.trusted_access_enabled_by_module,
    }
    for name, value in values.items():
        cdk.TerraformOutput(stack, name, value=value)

    # when synthesized
    outputs = synth(stack)["output"]

    # then each reads the module output of the same name
    assert {name: output["value"] for name, output in outputs.items()} == {
        name: f"${{module.organization.{name}}}" for name in values
    }


@pytest.mark.terraform
def test_is_valid_terraform(stack: Any, valid_terraform: Callable[[Any], bool]) -> None:
    # given the construct with a delegated administrator
    OrganizationRootAccess(stack, "organization", delegated_administrator_account_id="333333333333")

    # when / then Terraform validates the synthesized stack offline
    assert valid_terraform(stack) is True
