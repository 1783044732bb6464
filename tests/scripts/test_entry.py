"""The entry scripts resolve region, profile and endpoints through the engine's one
resolution (issue 11 item 4): ``AWS_REGION`` as fallback, empty means unset, an STS
endpoint naming another region refused before any call."""

from __future__ import annotations

import json

from root_access.simulator import SimulatorServer

SCOPE = {"scope_only": "true", "accounts": json.dumps(["222222222222"]), "region": ""}


def test_scripts_fall_back_to_aws_region(run_script, simulator_server: SimulatorServer):
    # given the region only in AWS_REGION (the query's region and AWS_DEFAULT_REGION empty)
    env = {**simulator_server.env, "AWS_DEFAULT_REGION": "", "AWS_PROFILE": ""}
    assert env["AWS_REGION"]
    # when
    run = run_script("audit.py", query={**SCOPE, "profile": ""}, env=env)
    # then
    assert (run.returncode, run.json()) == (0, {"account_ids": '["222222222222"]'})


def test_delete_script_falls_back_to_aws_region(run_script, simulator_server: SimulatorServer):
    # given
    env = {**simulator_server.env, "AWS_DEFAULT_REGION": ""}
    request = {"accounts": ["222222222222"], "dry_run": True, "region": None, "profile": ""}
    # when
    run = run_script("delete.py", request=request, env=env)
    # then
    assert run.returncode == 0, run.stderr
    assert run.json()["failed_accounts"] == []


def test_sts_endpoint_of_another_region_is_refused_before_any_call(
    run_script, simulator_server: SimulatorServer
):
    # given requests signed for us-east-1 and an STS endpoint in eu-west-1
    env = {**simulator_server.env, "AWS_ENDPOINT_URL_STS": "https://sts.eu-west-1.amazonaws.com"}
    simulator_server.clear_calls()
    # when
    run = run_script("audit.py", query={**SCOPE, "region": "us-east-1"}, env=env)
    # then
    assert (run.returncode, run.stdout) == (2, "")
    assert run.stderr.endswith(
        "root-access: AWS_ENDPOINT_URL_STS=https://sts.eu-west-1.amazonaws.com names region "
        "eu-west-1 but requests are signed for region us-east-1: make them agree (set --region "
        "eu-west-1 or point AWS_ENDPOINT_URL_STS at https://sts.us-east-1.amazonaws.com)\n"
    )
    assert simulator_server.calls() == []
