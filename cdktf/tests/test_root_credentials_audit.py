"""RootCredentialsAudit: the root-credentials-audit module as a construct."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from root_access_cdktf import PropsError, RootCredentialsAudit, Selection
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


def test_result_mode_and_report_path_reach_the_module_block(
    stack: Any, synth: Callable[[Any], dict[str, Any]]
) -> None:
    # given a compact audit with its report in a folder of the pipeline's choosing
    RootCredentialsAudit(stack, "audit", result_mode="compact", report_path="reports/audit.jsonl")

    # when synthesized
    module = synth(stack)["module"]["audit"]

    # then
    assert module["result_mode"] == "compact"
    assert module["report_path"] == "reports/audit.jsonl"


def test_unknown_result_mode_is_refused_at_synth(stack: Any) -> None:
    # given / when / then
    with pytest.raises(PropsError) as refused:
        RootCredentialsAudit(stack, "audit", result_mode="summary")
    assert str(refused.value) == (
        "RootCredentialsAudit.result_mode: 'summary' is not an audit result mode; allowed "
        "values are ['auto', 'full', 'compact']"
    )


def test_outputs_reference_the_module(stack: Any, synth: Callable[[Any], dict[str, Any]]) -> None:
    # given outputs wired to the audit results
    audit = RootCredentialsAudit(stack, "audit")
    names = [
        name for name, member in vars(RootCredentialsAudit).items() if isinstance(member, property)
    ]
    assert "accounts_not_audited" in names
    values = {name: getattr(audit, name) for name in names}
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
