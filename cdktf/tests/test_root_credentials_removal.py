"""RootCredentialsRemoval: the root-credentials-removal module as a construct."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from root_access_cdktf import RootCredentialsRemoval, Selection
from root_access_cdktf.cdk import cdk


def test_an_explicit_selection_and_options_reach_the_module_block(
    stack: Any, synth: Callable[[Any], dict[str, Any]]
) -> None:
    # given a dry run over two explicit accounts
    RootCredentialsRemoval(
        stack,
        "removal",
        selection=Selection(accounts=["222222222222", "444444444444"]),
        dry_run=True,
        delete_virtual_mfa=False,
        evidence_path="evidence/removal.jsonl",
    )

    # when synthesized
    module = synth(stack)["module"]["removal"]

    # then the module block carries them as the module's variables
    assert module == {
        "source": "<repository>/modules/root-credentials-removal",
        "selection": {"accounts": ["222222222222", "444444444444"]},
        "dry_run": True,
        "delete_virtual_mfa": False,
        "evidence_path": "evidence/removal.jsonl",
    }


def test_outputs_reference_the_module(stack: Any, synth: Callable[[Any], dict[str, Any]]) -> None:
    # given outputs wired to the removal's outputs
    removal = RootCredentialsRemoval(stack, "removal", selection=Selection(all=True))
    cdk.TerraformOutput(stack, "run_id", value=removal.run_id)
    cdk.TerraformOutput(stack, "account_ids", value=removal.account_ids)
    cdk.TerraformOutput(stack, "evidence_path", value=removal.evidence_path_output)

    # when synthesized
    outputs = synth(stack)["output"]

    # then they read the module outputs id, account_ids and evidence_path
    assert {name: output["value"] for name, output in outputs.items()} == {
        "run_id": "${module.removal.id}",
        "account_ids": "${module.removal.account_ids}",
        "evidence_path": "${module.removal.evidence_path}",
    }


@pytest.mark.terraform
def test_is_valid_terraform(stack: Any, valid_terraform: Callable[[Any], bool]) -> None:
    # given a removal over one account
    RootCredentialsRemoval(stack, "removal", selection=Selection(accounts=["222222222222"]))

    # when / then Terraform validates the synthesized stack offline
    assert valid_terraform(stack) is True
