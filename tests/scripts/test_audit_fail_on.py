"""scripts/audit.py's ``fail_on`` query key: the engine's drift rule, one flat string
``fail_on_held``; bad input is one line, exit 2, before any AWS call."""

from __future__ import annotations

import json

import pytest

from root_access.simulator import SimulatorServer

ALL = {"all": "true"}


def test_fail_on_held_lists_the_lines_of_the_conditions_that_held(
    run_script, simulator_server: SimulatorServer
) -> None:
    # given / when both conditions over the whole organization
    query = {**ALL, "fail_on": json.dumps(["not-audited", "present"])}
    run = run_script("audit.py", query=query, env=simulator_server.env)

    # then exit 0 (Terraform's postcondition decides) and one line per condition, in
    # the engine's order
    assert run.returncode == 0, run.stderr
    assert json.loads(run.json()["fail_on_held"]) == [
        "present: 2 accounts hold root credentials (222222222222, 666666666666)",
        "not-audited: 3 accounts could not be audited (555555555555, 777777777777, 888888888888)",
    ]


def test_an_empty_fail_on_holds_nothing_and_no_fail_on_adds_no_key(
    run_script, simulator_server: SimulatorServer
) -> None:
    # given / when
    empty = run_script("audit.py", query={**ALL, "fail_on": "[]"}, env=simulator_server.env)
    absent = run_script("audit.py", query=ALL, env=simulator_server.env)

    # then
    assert json.loads(empty.json()["fail_on_held"]) == []
    assert "fail_on_held" not in absent.json()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("present", "fail_on must be a JSON-encoded list of condition names, e.g. "
         "'[\"present\"]', got 'present'"),
        ('["presnt"]', "fail_on 'presnt' is not a condition: choose from present, "
         "not-audited"),
        ('["none"]', "fail_on 'none' is not a condition: choose from present, not-audited"),
    ],
)  # fmt: skip
def test_bad_fail_on_is_one_line_exit_2_before_any_call(
    run_script, simulator_server: SimulatorServer, value: str, message: str
) -> None:
    # given / when
    run = run_script("audit.py", query={**ALL, "fail_on": value}, env=simulator_server.env)

    # then
    assert (run.returncode, run.stdout, run.stderr) == (2, "", f"root-access: {message}\n")
    assert [call for call in simulator_server.calls() if call.action == "AssumeRoot"] == []
