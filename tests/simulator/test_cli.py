"""``root-access simulate`` / ``python -m root_access.simulator``: arguments, exit codes, output."""

from __future__ import annotations

import os
import shlex
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import boto3
import pytest

from root_access.simulator.cli import main

BAD_SCENARIO = """
organizations:
  - management_account: "111111111111"
    accounts:
      - {id: "222222222222"}
      - {id: "222222222223"}
      - {id: "222222222224"}
      - {id: "12345"}
"""
EXPORTS = (
    "AWS_ENDPOINT_URL",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
)


def run_module(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "root_access.simulator", *arguments],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@contextmanager
def serving(*arguments: str) -> Iterator[tuple[list[str], dict[str, str]]]:
    """Start ``python -m root_access.simulator``; yield its export lines and their values."""
    process = subprocess.Popen(
        [sys.executable, "-m", "root_access.simulator", *arguments],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    try:
        lines = [process.stdout.readline().rstrip("\n") for _ in EXPORTS]
        env = {}
        for line in lines:
            name, _, value = line.removeprefix("export ").partition("=")
            env[name] = shlex.split(value)[0]
        yield lines, env
    finally:
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=30) == 0
        process.stdout.close()
        assert process.stderr is not None
        process.stderr.close()


def test_malformed_scenario_exits_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # given
    scenario = tmp_path / "scenario.yaml"
    scenario.write_text(BAD_SCENARIO, encoding="utf-8")

    # when
    code = main(["--scenario", str(scenario)])

    # then
    captured = capsys.readouterr()
    assert code == 2
    assert captured.out == ""
    assert captured.err == (
        "root-access simulate: scenario.yaml: organizations[0].accounts[3].id: "
        "'12345' is not a 12-digit account id\n"
    )


def test_module_exits_2_on_a_malformed_scenario(tmp_path: Path) -> None:
    # given
    scenario = tmp_path / "scenario.yaml"
    scenario.write_text(BAD_SCENARIO, encoding="utf-8")

    # when
    run = run_module("--scenario", str(scenario))

    # then
    assert run.returncode == 2
    assert run.stdout == ""
    assert run.stderr.splitlines() == [
        "root-access simulate: scenario.yaml: organizations[0].accounts[3].id: "
        "'12345' is not a 12-digit account id"
    ]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--port", "70000"], "argument --port: 70000 is not a port between 0 and 65535"),
        (
            ["--accounts", "1"],
            "argument --accounts: 1 is below 2 (management and security accounts)",
        ),
        (
            ["--with-credentials", "130"],
            "argument --with-credentials: 130 is not between 0 and 100",
        ),
        (
            ["--scenario", "x.yaml", "--accounts", "5"],
            "argument --accounts: not allowed with argument --scenario",
        ),
        (["--seed", "3"], "argument --seed: only with --accounts"),
    ],
)
def test_usage_errors_exit_2(
    arguments: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # when
    with pytest.raises(SystemExit) as caught:
        main(arguments)

    # then
    assert caught.value.code == 2
    assert capsys.readouterr().err == f"root-access simulate: error: {message}\n"


def test_unknown_packaged_scenario_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    # when
    code = main(["--scenario", "nonexistent"])

    # then
    assert code == 2
    assert capsys.readouterr().err == (
        "root-access simulate: nonexistent: no such packaged scenario "
        "(packaged: break-glass, default, demo; or give a file path)\n"
    )


@pytest.mark.server
def test_generated_organization_is_served_and_exports_are_printed() -> None:
    # when
    with serving("--accounts", "25", "--with-credentials", "40", "--seed", "3") as (lines, env):
        organizations = boto3.Session(
            aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"],
            region_name=env["AWS_REGION"],
        ).client("organizations", endpoint_url=env["AWS_ENDPOINT_URL"])
        accounts = [
            a
            for page in organizations.get_paginator("list_accounts").paginate()
            for a in page["Accounts"]
        ]

    # then
    assert [line.split("=", 1)[0] for line in lines] == [f"export {name}" for name in EXPORTS]
    assert env["AWS_ENDPOINT_URL"].startswith("http://127.0.0.1:")
    assert env["AWS_REGION"] == env["AWS_DEFAULT_REGION"] == "us-east-1"
    assert len(accounts) == 25


@pytest.mark.server
def test_packaged_demo_scenario_by_name() -> None:
    # when
    with serving("--scenario", "demo") as (_, env):
        iam = boto3.Session(
            aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"],
            region_name=env["AWS_REGION"],
        ).client("organizations", endpoint_url=env["AWS_ENDPOINT_URL"])
        trusted = iam.list_aws_service_access_for_organization()["EnabledServicePrincipals"]

    # then
    assert trusted == []


@pytest.mark.server
def test_port_in_use_exits_1() -> None:
    # given
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]

        # when
        run = run_module("--port", str(port))

    # then
    assert run.returncode == 1
    assert run.stdout == ""
    assert run.stderr.splitlines()[-1] == (
        f"root-access simulate: cannot serve on 127.0.0.1:{port}: Address already in use"
    )


@pytest.mark.server
def test_root_access_simulate_delegates_here(tmp_path: Path) -> None:
    # given
    scenario = tmp_path / "scenario.yaml"
    scenario.write_text(BAD_SCENARIO, encoding="utf-8")
    command = Path(sys.executable).with_name("root-access")

    # when
    run = subprocess.run(
        [str(command), "simulate", "--scenario", str(scenario)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ},
    )

    # then
    assert run.returncode == 2
    assert run.stderr.splitlines() == [
        "root-access simulate: scenario.yaml: organizations[0].accounts[3].id: "
        "'12345' is not a 12-digit account id"
    ]
