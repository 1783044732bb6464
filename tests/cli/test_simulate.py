"""``root-access simulate`` is a real sub-command (issue 10 item 2) and says which extra
to install when the simulator is missing (issue 11 item 8)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from root_access.cli import main


def test_simulate_is_found_as_the_command_not_as_an_option_value(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # given a profile named "simulate" before the command
    # when
    code = main(["--profile", "simulate", "simulate", "--help"])
    out, err = capsys.readouterr()
    # then the simulator's own help is shown
    assert (code, err) == (0, "")
    assert out.startswith("usage: root-access simulate")
    assert "--port" in out


def test_a_profile_named_simulate_on_another_command_is_a_profile(
    cli_env: object, capsys: pytest.CaptureFixture[str]
) -> None:
    # given / when
    code = main(["--profile", "simulate", "audit", "--all"])
    out, err = capsys.readouterr()
    # then the profile is looked up (and not found), the simulator is not started
    assert (code, out) == (2, "")
    assert err == (
        "root-access: error: AWS profile 'simulate' not found: check --profile or ~/.aws/config\n"
    )


BLOCK_SIMULATOR = textwrap.dedent(
    """
    import importlib.abc, sys

    class Missing(importlib.abc.MetaPathFinder):
        # A CLI-only install: the simulator extra's packages are absent.
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in ("moto", "werkzeug", "yaml"):
                raise ModuleNotFoundError(f"No module named {name!r}", name=name)
            return None

    sys.meta_path.insert(0, Missing())
    from root_access.cli import main
    sys.exit(main(sys.argv[1:]))
    """
)


def test_simulate_without_the_simulator_extra_names_the_extra() -> None:
    # given an interpreter where moto, werkzeug and yaml cannot be imported
    # when
    done = subprocess.run(
        [sys.executable, "-c", BLOCK_SIMULATOR, "simulate", "--accounts", "5"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    # then one line naming the extra, exit 2
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.endswith("is not installed): pip install 'root-access[simulator]'\n")
    assert done.stderr.startswith(
        "root-access: error: `root-access simulate` needs the simulator extra ("
    )
    assert done.stderr.count("\n") == 1
