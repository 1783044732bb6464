"""The hashicorp/external stand-in, run by real Terraform (each available engine)."""

from __future__ import annotations

import json
import re
import sys

import pytest
import tftest
from terraform_offline.providers.external import decode_result

pytestmark = pytest.mark.terraform

RESULTS_DETAIL_HEAD = (
    "The data source received unexpected results after executing the program.\n\n"
    "Program output must be a JSON encoded map of string keys and string values.\n\n"
)


def test_full_cycle_init_validate_plan_apply_show_destroy(workdir):
    # given a configuration reading the external stand-in into a terraform_data
    tf = workdir("external_cycle").tftest()
    # when
    tf.setup()
    validated = tf.execute_command("validate", "-no-color")
    # (tftest's plan(output=True) leaves its plan file in the temp directory: plan to the
    # working directory instead)
    tf.execute_command("plan", "-input=false", "-no-color", "-out=tfplan")
    plan = tftest.TerraformPlanOutput(json.loads(tf.execute_command("show", "-json", "tfplan").out))
    tf.apply()
    state = tf.execute_command("state", "list").out.split()
    outputs = tf.output()
    shown = json.loads(tf.execute_command("show", "-json").out)
    tf.destroy()
    after = json.loads(tf.execute_command("show", "-json").out)
    # then
    assert "Success! The configuration is valid." in validated.out
    assert sorted(plan.resource_changes) == ["terraform_data.audit"]
    assert plan.resource_changes["terraform_data.audit"]["change"]["actions"] == ["create"]
    assert sorted(state) == ["data.external.echo", "terraform_data.audit"]
    assert outputs["query"] == {"accounts": '["222222222222"]', "region": "us-east-1"}
    assert outputs["id"] == "-"
    data = next(
        r
        for r in shown["values"]["root_module"]["resources"]
        if r["address"] == "data.external.echo"
    )
    assert data["values"]["id"] == "-"
    assert data["values"]["query"] == {
        "accounts": '["222222222222"]',
        "dropped": None,
        "region": "us-east-1",
    }
    assert json.loads(data["values"]["result"]["query"]) == {
        "accounts": '["222222222222"]',
        "region": "us-east-1",
    }
    assert "values" not in after


def test_second_plan_shows_no_changes(workdir):
    # given an applied configuration
    tf = workdir("external_cycle").tftest()
    tf.setup()
    tf.apply()
    # when
    plan = tf.execute_command("plan", "-detailed-exitcode", "-no-color")
    # then
    assert plan.retcode == 0
    assert "No changes." in plan.out


def test_nested_json_is_unexpected_external_program_results(workdir):
    # given a program printing a nested object
    wd = workdir("external_cases")
    assert wd.run("init", "-no-color").returncode == 0
    # when
    run = wd.run("plan", "-json", "-var", "mode=nested")
    # then
    assert run.returncode == 1
    [diagnostic] = run.diagnostics()
    assert diagnostic["summary"] == "Unexpected External Program Results"
    assert diagnostic["detail"].startswith(RESULTS_DETAIL_HEAD)
    assert diagnostic["detail"].endswith(
        f"\nProgram: {sys.executable}\n"
        "Result Error: json: cannot unmarshal object into Go value of type string"
    )


def test_number_value_is_rejected(workdir):
    # given a program printing a number value
    wd = workdir("external_cases")
    wd.run("init")
    # when
    run = wd.run("plan", "-json", "-var", "mode=number")
    # then
    [diagnostic] = run.diagnostics()
    assert diagnostic["summary"] == "Unexpected External Program Results"
    assert diagnostic["detail"].endswith(
        "Result Error: json: cannot unmarshal number into Go value of type string"
    )


def test_non_zero_exit_shows_stderr_in_diagnostic(workdir):
    # given a program failing with a message on stderr
    wd = workdir("external_cases")
    wd.run("init")
    # when
    run = wd.run("plan", "-json", "-var", "mode=fail")
    # then
    assert run.returncode == 1
    [diagnostic] = run.diagnostics()
    assert diagnostic["summary"] == "External Program Execution Failed"
    assert diagnostic["detail"] == (
        "The data source received an unexpected error while attempting to execute the "
        f"program.\n\nProgram: {sys.executable}\n"
        "Error Message: preflight: caller 222222222222 is not the management account\n\n"
        "State: exit status 3"
    )


def test_silent_failure_says_no_additional_messaging(workdir):
    # given a program failing without stderr
    wd = workdir("external_cases")
    wd.run("init")
    # when
    run = wd.run("plan", "-json", "-var", "mode=fail_silent")
    # then
    [diagnostic] = run.diagnostics()
    assert diagnostic["summary"] == "External Program Execution Failed"
    assert (
        "The program was executed, however it returned no additional error messaging."
        in (diagnostic["detail"])
    )
    assert diagnostic["detail"].endswith("State: exit status 1")


def test_null_query_values_are_dropped_and_working_dir_used(workdir, tmp_path):
    # given a program echoing its stdin and cwd
    wd = workdir("external_cases")
    wd.run("init")
    # when
    run = wd.run("apply", "-auto-approve", "-var", "mode=echo", "-var", f"working_dir={tmp_path}")
    outputs = json.loads(wd.run("output", "-json").stdout)
    # then
    assert run.returncode == 0, run.stderr
    assert outputs["result"]["value"] == {"query": '{"kept": "yes"}', "cwd": str(tmp_path)}


def test_missing_program_is_lookup_failed(workdir):
    # given a program name found nowhere on PATH
    wd = workdir("external_cases")
    wd.run("init")
    # when
    run = wd.run("plan", "-json", "-var", "mode=echo", "-var", 'program=["no-such-program-xyz"]')
    # then
    [diagnostic] = run.diagnostics()
    assert diagnostic["summary"] == "External Program Lookup Failed"
    assert diagnostic["detail"].endswith(
        "\nProgram: no-such-program-xyz\n"
        'Error: exec: "no-such-program-xyz": executable file not found in $PATH'
    )


@pytest.mark.parametrize(
    ("stdout", "expected"),
    [
        ('{"a": "1", "b": null}', {"a": "1", "b": ""}),
        ("null", {}),
        ('  {"x": "y"}\n', {"x": "y"}),
    ],
)
def test_decode_result_accepts_go_compatible_maps(stdout, expected):
    # given / when / then
    assert decode_result(stdout) == expected


@pytest.mark.parametrize(
    ("stdout", "message"),
    [
        ("", "unexpected end of JSON input"),
        ('["a"]', "json: cannot unmarshal array into Go value of type map[string]string"),
        ('{"a": true}', "json: cannot unmarshal bool into Go value of type string"),
        ('{"a": ["x"]}', "json: cannot unmarshal array into Go value of type string"),
        ("log line\n{}", "invalid character 'l' looking for beginning of value"),
        ('{"a": "1"}\n{"b": "2"}', "invalid character '{' after top-level value"),
    ],
)
def test_decode_result_rejects_like_go(stdout, message):
    # given / when / then
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        decode_result(stdout)
