"""Issue 15 item 2, the Terraform path: ``fail_on`` (module) / ``audit_fail_on`` (root
module) make a plan fail when a drift condition holds, with the engine's one rule
(``root_access.drift``) evaluated by scripts/audit.py, the accounts named in the error.

Real Terraform (the offline engine) against the default scenario: 222222222222 and
666666666666 hold root credentials; 555555555555 is SCP-blocked; 777777777777 is
SUSPENDED, 888888888888 PENDING_CLOSURE; 111111111111 the management account (never
counted).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import tftest

from root_access.drift import DriftCheck
from root_access.outcomes import Outcome
from root_access.results import AccountResult
from root_access.simulator import SimulatorServer

pytestmark = [pytest.mark.terraform, pytest.mark.server]

AUDIT = Path("modules") / "root-credentials-audit"
PRESENT = "present: 2 accounts hold root credentials (222222222222, 666666666666)"
NOT_AUDITED = (
    "not-audited: 3 accounts could not be audited (555555555555, 777777777777, 888888888888)"
)


def _flat(text: str) -> str:
    """Terraform's error text on one line (it wraps long messages; the box is dropped)."""
    return " ".join(text.replace("│", " ").split())


def _plan_error(tf: Any, command: str = "plan") -> str:
    extra = ("-auto-approve",) if command == "apply" else ()
    with pytest.raises(tftest.TerraformTestError) as raised:
        tf.run(command, "-input=false", "-no-color", *extra)
    return _flat(" ".join(str(part) for part in raised.value.args))


def test_the_module_plan_fails_naming_the_accounts_of_each_condition_that_holds(
    workspace: Path, terraform: Any, simulator_server: SimulatorServer, python: str
) -> None:
    # given the audit module over the whole organization, both conditions asked for
    module = workspace / AUDIT
    variables = {
        "selection": {"all": True},
        "python_executable": python,
        "region": "us-east-1",
        "fail_on": ["present", "not-audited"],
    }
    tf = terraform(module, simulator_server, variables)
    tf.init()

    # when planned
    error = _plan_error(tf)

    # then the postcondition fails with the lines the CLI's --fail-on prints
    assert "Resource postcondition failed" in error
    assert f"The audit found drift that fail_on names: {PRESENT}; {NOT_AUDITED}." in error

    # when only the clean accounts are selected
    tf.write_variables({**variables, "selection": {"accounts": ["333333333333", "444444444444"]}})
    # then the plan passes
    assert "Read complete" in tf.run("plan", "-input=false", "-no-color").out

    # when the condition list is empty (the default) over the whole organization
    tf.write_variables({**variables, "fail_on": []})
    # then the plan passes too: the gate is opt-in
    assert "Read complete" in tf.run("plan", "-input=false", "-no-color").out


def test_the_root_module_audit_fail_on_fails_the_plan(
    workspace: Path, terraform: Any, simulator_server: SimulatorServer, root_variables: Any
) -> None:
    # given the root module, audit only, with audit_fail_on = ["not-audited"]
    variables = root_variables(
        selection={"all": True},
        remove_root_credentials=False,
        enable_trusted_access=False,
        delegated_administrator_account_id=None,
        audit_fail_on=["not-audited"],
    )
    tf = terraform(workspace, simulator_server, variables)
    tf.init()

    # when applied (the organization's resources are pending, so the audit is read at
    # apply, after them) and then planned again (the audit is read at plan)
    applied = _plan_error(tf, "apply")
    planned = _plan_error(tf)

    # then both fail on exactly the not-audited condition (present was not asked for)
    for error in (applied, planned):
        assert f"The audit found drift that fail_on names: {NOT_AUDITED}." in error
        assert "names: present:" not in error


def test_an_unknown_condition_is_refused_by_the_variable(
    workspace: Path, terraform: Any, simulator_server: SimulatorServer, python: str
) -> None:
    # given / when
    tf = terraform(
        workspace / AUDIT,
        simulator_server,
        {"python_executable": python, "region": "us-east-1", "fail_on": ["presnt"]},
    )
    tf.init()
    error = _plan_error(tf)

    # then the validation names the accepted values, before the audit runs
    assert 'fail_on takes "present" and "not-audited".' in error
    assert [call for call in simulator_server.calls() if call.action == "AssumeRoot"] == []


def test_the_message_lines_are_the_engines() -> None:
    # given the two accounts holding credentials, as DriftCheck sees them
    check = DriftCheck(("present",))
    for account_id in ("666666666666", "222222222222"):
        check.add(AccountResult(account_id, Outcome.ROOT_CREDENTIALS_PRESENT))
    # when / then the line the test above expects is the engine's own
    assert check.lines() == [PRESENT]
