"""Confirmation (issue 11 item 6): the destructive verbs show the dry run and ask at a
terminal (a real pseudo-terminal here), need --yes without one (one line, exit 2, no AWS
call), and never ask with --dry-run."""

from __future__ import annotations

import io
import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

from root_access.cli import main
from root_access.simulator import Simulator
from root_access.simulator.server import SimulatorServer

from .processes import CHANGES, changes, read_until, script, server_env

NEEDS_YES = (
    "needs confirmation: run it at a terminal, or pass --yes (see what it would do with --dry-run)"
)

REFUSED = [
    (
        ["delete-credentials", "--all"],
        f"delete-credentials deletes member root credentials and {NEEDS_YES}",
    ),
    (
        ["delete-credentials", "--accounts", "222222222222", "--journal", "evidence.jsonl"],
        f"delete-credentials deletes member root credentials and {NEEDS_YES}",
    ),
    (
        ["allow-password-recovery", "--accounts", "333333333333,444444444444"],
        "allow-password-recovery lets the root users of several accounts recover their "
        f"password and {NEEDS_YES}",
    ),
    (
        ["allow-password-recovery", "--organizational-units", "r-abcd"],
        "allow-password-recovery lets the root users of several accounts recover their "
        f"password and {NEEDS_YES}",
    ),
    (
        ["unlock-s3-bucket-policy", "--account", "222222222222", "--bucket", "locked-bucket"],
        f"unlock-s3-bucket-policy deletes bucket policies and {NEEDS_YES}",
    ),
    (
        [
            "unlock-sqs-queue-policy",
            "--account",
            "222222222222",
            "--queue-url",
            "https://sqs.eu-west-1.amazonaws.com/222222222222/orders",
        ],
        f"unlock-sqs-queue-policy removes queue policies and {NEEDS_YES}",
    ),
]


@pytest.mark.parametrize(("argv", "message"), REFUSED)
def test_without_a_terminal_a_destructive_run_needs_yes_and_makes_no_call(
    cli_env: Simulator,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    argv: list[str],
    message: str,
) -> None:
    # given stdin that is not a terminal (a pipeline)
    monkeypatch.setattr(sys, "stdin", io.StringIO("y\n"))
    monkeypatch.chdir(tmp_path)
    # when
    code = main(argv)
    out, err = capsys.readouterr()
    # then one line, exit 2, no AWS call at all and no journal opened
    assert (code, out, err) == (2, "", f"root-access: error: {message}\n")
    assert cli_env.calls == []
    assert list(tmp_path.iterdir()) == []


def test_yes_runs_without_a_terminal_and_dry_run_never_asks(
    cli_env: Simulator, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # given stdin that is not a terminal
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    # when a dry run, a one-account recovery, then the organization-wide delete with --yes
    dry = main(["delete-credentials", "--all", "--dry-run", "--format", "json"])
    dry_out, dry_err = capsys.readouterr()
    one = main(["allow-password-recovery", "--accounts", "333333333333", "--format", "json"])
    one_out, one_err = capsys.readouterr()
    real = main(["delete-credentials", "--all", "--yes", "--format", "json"])
    real_out, real_err = capsys.readouterr()
    # then nothing asked, and each ran
    planned = {r["account_id"]: r["outcome"] for r in json.loads(dry_out)["results"]}
    deleted = {r["account_id"]: r["outcome"] for r in json.loads(real_out)["results"]}
    assert (dry, dry_err, one, one_err, real, real_err) == (1, "", 0, "", 1, "")
    assert (planned["222222222222"], planned["666666666666"]) == ("would_delete", "would_delete")
    assert json.loads(one_out)["results"][0]["outcome"] == "recovery_enabled"
    assert (deleted["222222222222"], deleted["666666666666"]) == ("deleted", "deleted")
    assert not cli_env.root_user("222222222222").has_credentials


QUESTION = (
    "delete-credentials would remove 9 root credentials (2 passwords, 3 access keys, "
    "1 signing certificate, 3 MFA devices) from 2 of 8 accounts (3 skipped; 1 could not be "
    "read: 1 blocked_by_scp). Go ahead? [y/N] "
)
"""The question for delete-credentials --all on the simulator's default scenario."""


def _at_a_terminal(
    server: SimulatorServer, tmp_path: Path, answer: str, *argv: str
) -> tuple[int, str, str, list[str]]:
    """Run `root-access *argv` with stdin on a pseudo-terminal; type ``answer`` once the
    question is on stderr. Returns the exit code, stdout, stderr and the change calls
    made before the answer."""
    controller, terminal = pty.openpty()
    child = subprocess.Popen(
        [script(), *argv],
        env=server_env(server, tmp_path),
        stdin=terminal,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    os.close(terminal)
    try:
        assert child.stderr is not None
        asked = read_until(child.stderr.fileno(), "[y/N] ")
        before = changes(server)
        os.write(controller, answer.encode() + b"\n")
        out, rest = child.communicate(timeout=120)
    finally:
        os.close(controller)
        if child.poll() is None:
            child.kill()
            child.communicate()
    return child.returncode, out.decode(), asked + rest.decode(), before


@pytest.mark.server
def test_at_a_terminal_delete_shows_the_dry_run_and_asks(
    simulator_server: SimulatorServer, tmp_path: Path
) -> None:
    # given the default organization and a person at a terminal
    simulator_server.clear_calls()
    # when they answer "n", then run it again and answer "y"
    no = _at_a_terminal(
        simulator_server, tmp_path, "n", "delete-credentials", "--all", "--format", "json"
    )
    kept = simulator_server.root_user("222222222222")
    after_no = changes(simulator_server)
    yes = _at_a_terminal(
        simulator_server, tmp_path, "y", "delete-credentials", "--all", "--format", "json"
    )
    # then the question came first with the dry run's counts, "n" changed nothing and
    # "y" deleted
    assert no == (2, "", QUESTION + "root-access: not confirmed; nothing was changed\n", [])
    assert after_no == []
    assert (kept["password"], len(kept["access_keys"])) == (True, 2)
    code, out, err, before_yes = yes
    deleted = {r["account_id"]: r["outcome"] for r in json.loads(out)["results"]}
    assert (code, err, before_yes) == (1, QUESTION, [])
    assert (deleted["222222222222"], deleted["666666666666"]) == ("deleted", "deleted")
    assert all(a.startswith(CHANGES) for a in changes(simulator_server))
    assert "DeleteLoginProfile" in changes(simulator_server)
    left = simulator_server.root_user("222222222222")
    assert (left["password"], left["access_keys"]) == (False, [])


@pytest.mark.server
def test_at_a_terminal_recovery_over_several_accounts_asks_first(
    simulator_server: SimulatorServer, tmp_path: Path
) -> None:
    # given a person at a terminal
    # when they allow password recovery over two accounts and answer "y"
    code, out, err, before = _at_a_terminal(
        simulator_server,
        tmp_path,
        "y",
        "allow-password-recovery",
        "--accounts",
        "333333333333,444444444444",
        "--format",
        "json",
    )
    # then the plan was shown before any change, and both accounts can recover
    outcomes = [r["outcome"] for r in json.loads(out)["results"]]
    assert (code, before) == (0, [])
    assert err == (
        "allow-password-recovery would allow password recovery in 2 of 2 accounts. Go ahead? [y/N] "
    )
    assert outcomes == ["recovery_enabled", "recovery_enabled"]
    assert changes(simulator_server).count("CreateLoginProfile") == 2


class _Keyboard(io.StringIO):
    """Typed answers on a stdin that says it is a terminal (in-process runs)."""

    def isatty(self) -> bool:
        return True


def test_an_unlock_names_the_policies_it_would_delete_and_keeps_them_on_no(
    cli_env: Simulator, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # given two locked buckets and a person at a terminal who answers "n"
    deny = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*"}],
        }
    )
    for bucket in ("locked-a", "locked-b"):
        cli_env.world.create_bucket("222222222222", bucket, region=cli_env.region, policy=deny)
    monkeypatch.setattr(sys, "stdin", _Keyboard("n\n"))
    # when
    code = main(
        ["unlock-s3-bucket-policy", "--account", "222222222222", "--bucket", "locked-a,locked-b"]
    )
    out, err = capsys.readouterr()
    # then the question named both policies, and nothing was deleted
    assert (code, out) == (2, "")
    assert err == (
        "unlock-s3-bucket-policy would delete 2 bucket policies (locked-a, locked-b). "
        "Go ahead? [y/N] root-access: not confirmed; nothing was changed\n"
    )
    assert [c.action for c in cli_env.calls if c.action.startswith(CHANGES)] == []
