"""RootCredentialsAudit: the root-credentials-audit module as a construct."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from root_access_cdktf import RootCredentialsAudit, Selection
from root_access_cdktf.cdk import cdk


def test_selection_and_options_reach_the_module_block(
    stack: Any, synth: Callable[[Any], dict[str, Any]]
) -> None:
    # given an OU subtree minus one account, audited 4 at a time
    RootCredentialsAudit(
        stack,
        "audit",
        selection=Selection(organizational_units=["r-ab12"], exclude_accounts=["333333333333"]),
        max_workers=4,
        profile="security",
    )

    # when synthesized
    module = synth(stack)["module"]["audit"]

    # then the module block has the selection object with only the fields set
    assert module == {
        "source": "<repository>/modules/root-credentials-audit",
        "selection": {"organizational_units": ["r-ab12"], "exclude_accounts": ["333333333333"]},
        "max_workers": 4,
        "profile": "security",
    }


def test_outputs_reference_the_module(stack: Any, synth: Callable[[Any], dict[str, Any]]) -> None:
    # given outputs wired to the audit results
    audit = RootCredentialsAudit(stack, "audit")
    values = {
        "accounts": audit.accounts,
        "accounts_with_root_credentials": audit.accounts_with_root_credentials,
        "summary": audit.summary,
        "account_ids": audit.account_ids,
    }
    for name, value in values.items():
        cdk.TerraformOutput(stack, name, value=value)

    # when synthesized
    outputs = synth(stack)["output"]

    # then each reads the module output of the same name
    assert {name: output["value"] for name, output in outputs.items()} == {
        name: f"${{module.audit.{name}}}" for name in values
    }


@pytest.mark.terraform
def test_is_valid_terraform(stack: Any, valid_terraform: Callable[[Any], bool]) -> None:
    # given the audit of every account
    RootCredentialsAudit(stack, "audit", selection=Selection(all=True))

    # when / then Terraform validates the synthesized stack offline
    assert valid_terraform(stack) is True
