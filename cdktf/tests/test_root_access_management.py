"""RootAccessManagement: the root module as one construct (synth, providers, outputs, validity)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from root_access_cdktf import (
    OrganizationRootAccess,
    PrivilegedTaskRequest,
    RootAccessManagement,
    Selection,
)
from root_access_cdktf.cdk import aws_provider_module, cdk

REPOSITORY_PLACEHOLDER = "<repository>"


def test_every_prop_reaches_the_module_block(
    stack: Any, synth: Callable[[Any], dict[str, Any]]
) -> None:
    # given every prop of the root module set
    RootAccessManagement(
        stack,
        "root_access",
        create=True,
        enabled_features=["RootCredentialsManagement"],
        delegated_administrator_account_id="333333333333",
        enable_trusted_access=True,
        selection=Selection(
            organizational_units=["ou-ab12-cdef3456"], exclude_accounts=["444444444444"]
        ),
        remove_root_credentials=True,
        dry_run=True,
        delete_virtual_mfa=False,
        evidence_path="evidence/root.jsonl",
        privileged_tasks={
            "CHG-1": PrivilegedTaskRequest(
                task="unlock-s3-bucket-policy", account_id="222222222222", buckets=["logs"]
            ),
            "CHG-2": PrivilegedTaskRequest(
                task="unlock-sqs-queue-policy",
                account_id="222222222222",
                queue_urls=["https://sqs.eu-west-1.amazonaws.com/222222222222/q"],
                dry_run=True,
            ),
        },
        python_executable="/usr/bin/python3",
        profile="management",
        region="eu-west-1",
        max_workers=16,
    )

    # when the stack is synthesized
    module = synth(stack)["module"]["root_access"]

    # then the module block holds exactly the root module's variables, in snake_case
    assert module == {
        "source": REPOSITORY_PLACEHOLDER,
        "create": True,
        "enabled_features": ["RootCredentialsManagement"],
        "delegated_administrator_account_id": "333333333333",
        "enable_trusted_access": True,
        "selection": {
            "organizational_units": ["ou-ab12-cdef3456"],
            "exclude_accounts": ["444444444444"],
        },
        "remove_root_credentials": True,
        "dry_run": True,
        "delete_virtual_mfa": False,
        "evidence_path": "evidence/root.jsonl",
        "privileged_tasks": {
            "CHG-1": {
                "task": "unlock-s3-bucket-policy",
                "account_id": "222222222222",
                "buckets": ["logs"],
            },
            "CHG-2": {
                "task": "unlock-sqs-queue-policy",
                "account_id": "222222222222",
                "queue_urls": ["https://sqs.eu-west-1.amazonaws.com/222222222222/q"],
                "dry_run": True,
            },
        },
        "python_executable": "/usr/bin/python3",
        "profile": "management",
        "region": "eu-west-1",
        "max_workers": 16,
    }


def test_unset_props_keep_the_module_defaults(
    stack: Any, synth: Callable[[Any], dict[str, Any]]
) -> None:
    # given no props at all
    RootAccessManagement(stack, "root_access")

    # when synthesized
    module = synth(stack)["module"]["root_access"]

    # then only the source is set: the HCL defaults are the single source of truth
    assert module == {"source": REPOSITORY_PLACEHOLDER}


def test_the_module_is_addressed_by_the_construct_id_and_uses_the_callers_provider(
    stack: Any, synth: Callable[[Any], dict[str, Any]]
) -> None:
    # given the stack's AWS provider (from the stack fixture) and the construct
    RootAccessManagement(stack, "root_access")

    # when synthesized
    synthesized = cdk.Testing.synth(stack)

    # then the construct created no provider of its own
    assert cdk.Testing.to_have_provider(synthesized, "aws") is True
    assert synth(stack)["provider"] == {"aws": [{"region": "eu-west-1"}]}
    assert list(synth(stack)["module"]) == ["root_access"]


def test_an_aliased_provider_is_passed_to_the_module(
    stack: Any, synth: Callable[[Any], dict[str, Any]]
) -> None:
    # given a second organization's provider under an alias
    other = aws_provider_module().AwsProvider(
        stack, "aws_other", alias="other", region="eu-west-1", profile="other-org"
    )

    # when the construct gets it
    RootAccessManagement(stack, "other_org", providers=[other])

    # then the module block maps the module's aws provider to the alias
    assert synth(stack)["module"]["other_org"]["providers"] == {"aws": "aws.other"}


def test_outputs_are_references_to_the_module_outputs(
    stack: Any, synth: Callable[[Any], dict[str, Any]]
) -> None:
    # given stack outputs wired to each construct output
    root_access = RootAccessManagement(stack, "root_access")
    names = [
        name for name, member in vars(RootAccessManagement).items() if isinstance(member, property)
    ]
    assert "accounts_not_audited" in names
    outputs = {name: getattr(root_access, name) for name in names}
    for name, value in outputs.items():
        cdk.TerraformOutput(stack, name, value=value)

    # when synthesized
    synthesized = synth(stack)["output"]

    # then each one reads the same-named output of the root module
    assert {name: output["value"] for name, output in synthesized.items()} == {
        name: f"${{module.root_access.{name}}}" for name in outputs
    }


def test_tokens_are_passed_through_unchecked(
    stack: Any, synth: Callable[[Any], dict[str, Any]]
) -> None:
    # given a delegated administrator known only at plan (a Terraform variable)
    variable = cdk.TerraformVariable(stack, "security_account", type="string")

    # when it is used as a prop
    RootAccessManagement(
        stack, "root_access", delegated_administrator_account_id=variable.string_value
    )

    # then synth keeps the reference; the module's variable validation checks it at plan
    module = synth(stack)["module"]["root_access"]
    assert module["delegated_administrator_account_id"] == "${var.security_account}"


@pytest.mark.terraform
def test_the_synthesized_stack_is_valid_terraform(
    stack: Any, valid_terraform: Callable[[Any], bool]
) -> None:
    # given the root construct with a typical configuration
    RootAccessManagement(
        stack,
        "root_access",
        delegated_administrator_account_id="333333333333",
        selection=Selection(all=True),
        remove_root_credentials=True,
    )

    # when Terraform inits and validates the full synth output (offline stand-in providers)
    # then it is valid
    assert valid_terraform(stack) is True


def test_depends_on_orders_the_module_after_other_elements(
    stack: Any, synth: Callable[[Any], dict[str, Any]]
) -> None:
    # given an organization construct and a root construct that must wait for it
    organization = OrganizationRootAccess(stack, "organization")

    # when the dependency is declared
    RootAccessManagement(stack, "root_access", create=False, depends_on=[organization])

    # then Terraform gets it as the module's depends_on
    assert synth(stack)["module"]["root_access"]["depends_on"] == ["module.organization"]
