"""Help tells the truth (issue 11 item 5): each verb lists only the options it accepts,
each with a description, and an exit-code footer that fits the verb."""

from __future__ import annotations

import argparse

import pytest

from root_access.cli import build_parser, main

ALWAYS = {"-h", "--help", "--region", "--profile", "-v", "--verbose", "-q", "--quiet"}
SELECTION = {
    "--accounts",
    "--organizational-units",
    "--exclude-accounts",
    "--exclude-organizational-units",
    "--all",
}
INTERRUPTED = "  130  interrupted by SIGINT (Ctrl-C), 143 by SIGTERM:\n       "
AUDIT = (
    "exit codes:\n"
    "  0    every targeted account was audited and no --fail-on condition held\n"
    "  1    some targeted account could not be audited (its outcome says why; rerunning is\n"
    "       safe)\n"
    "  2    usage or preflight error, reported in one line on stderr\n"
    "  3    a --fail-on condition held (present: an account holds root credentials;\n"
    "       not-audited: an account was not audited, including SUSPENDED ones); one line\n"
    "       per condition on stderr\n"
    + INTERRUPTED
    + "stdout holds the accounts audited so far (an --output FILE is left as it was)\n"
)
CHANGES = (
    "exit codes:\n"
    "  0    every targeted account ended well\n"
    "  1    some targeted account did not (its outcome says why; rerunning is safe)\n"
    "  2    usage or preflight error, or not confirmed, reported in one line on stderr;\n"
    "       nothing was changed\n"
    + INTERRUPTED
    + "stdout holds the accounts done so far (an --output FILE is left as it was);\n"
    "       with --journal FILE, --resume FILE finishes only the rest\n"
)
ONE_ACCOUNT = (
    "exit codes:\n"
    "  0    every named resource ended well\n"
    "  1    the account or a resource did not (its outcome says why; rerunning is safe)\n"
    "  2    usage or preflight error, or not confirmed, reported in one line on stderr;\n"
    "       nothing was changed\n" + INTERRUPTED + "rerunning is safe\n"
)
STATUS = (
    "exit codes:\n"
    "  0    the preflight and the organization were read (with --audit: every account ended\n"
    "       well)\n"
    "  1    with --audit: some account could not be audited (its posture says why)\n"
    "  2    usage or preflight error, reported in one line on stderr\n"
    + INTERRUPTED
    + "nothing is written\n"
)
CONFIGURES = (
    "exit codes:\n"
    "  0    done: the organization is as asked (with --dry-run: the plan was printed)\n"
    "  2    usage, preflight or AWS error, or not confirmed, reported in one line on stderr\n"
    + INTERRUPTED
    + "rerunning is safe (only what is missing is done)\n"
)
WRITES = {"--format", "--output", "--max-workers", "--duration-seconds", "--journal", "--resume"}
UNLOCK = {
    "--account",
    "--dry-run",
    "--format",
    "--output",
    "--duration-seconds",
    "--yes",
    "--journal",
}

VERBS = {
    "status": (
        {"--audit", "--format", "--output", "--max-workers", "--duration-seconds"},
        STATUS,
    ),
    "enable": (
        {
            "--trusted-access",
            "--features",
            "--delegated-administrator",
            "--dry-run",
            "--format",
            "--output",
        },
        CONFIGURES,
    ),
    "disable": (
        {
            "--features",
            "--delegated-administrator",
            "--trusted-access",
            "--yes",
            "--dry-run",
            "--format",
            "--output",
        },
        CONFIGURES,
    ),
    "audit": (
        SELECTION
        | {"--format", "--output", "--max-workers", "--duration-seconds", "--fail-on"}
        | {"--detail", "--skip-scp-blocked"},
        AUDIT,
    ),
    "delete-credentials": (
        SELECTION
        | WRITES
        | {"--dry-run", "--yes", "--keep-virtual-mfa-devices", "--skip-scp-blocked", "--detail"},
        CHANGES,
    ),
    "allow-password-recovery": (
        SELECTION | WRITES | {"--dry-run", "--yes", "--skip-scp-blocked"},
        CHANGES,
    ),
    "unlock-s3-bucket-policy": (UNLOCK | {"--bucket"}, ONE_ACCOUNT),
    "unlock-sqs-queue-policy": (UNLOCK | {"--queue-url"}, ONE_ACCOUNT),
}


def _subparser(name: str) -> argparse.ArgumentParser:
    parser = build_parser()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return action.choices[name]  # type: ignore[no-any-return]
    raise AssertionError("no sub-commands")


@pytest.mark.parametrize("verb", sorted(VERBS))
def test_each_verb_lists_exactly_the_options_it_accepts(verb: str) -> None:
    # given the verb's parser
    expected, _ = VERBS[verb]
    # when
    flags = {flag for action in _subparser(verb)._actions for flag in action.option_strings}
    # then
    assert flags == expected | ALWAYS


@pytest.mark.parametrize("verb", sorted(VERBS))
def test_every_option_of_every_verb_has_a_description(verb: str) -> None:
    # given / when
    undescribed = [
        action.option_strings
        for action in _subparser(verb)._actions
        if action.option_strings and (not action.help or action.help == argparse.SUPPRESS)
    ]
    # then
    assert undescribed == []


@pytest.mark.parametrize("verb", sorted(VERBS))
def test_help_shows_examples_and_the_exit_codes_of_the_verb(
    verb: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # given / when
    code = main([verb, "--help"])
    out, err = capsys.readouterr()
    # then
    assert (code, err) == (0, "")
    assert out.startswith(f"usage: root-access {verb}")
    assert f"\n  root-access {verb} " in out
    assert out.endswith("\n\n" + VERBS[verb][1])
    if verb in (
        "status",
        "enable",
        "disable",
        "unlock-s3-bucket-policy",
        "unlock-sqs-queue-policy",
    ):
        assert "targeted account" not in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["enable", "--max-workers", "4"],
            "--max-workers does not apply to `enable`: drop it (see `root-access enable --help`)",
        ),
        (
            ["--max-workers", "4", "disable", "--yes"],
            "--max-workers does not apply to `disable`: drop it (see `root-access disable --help`)",
        ),
        (
            ["enable", "--duration-seconds", "60"],
            "--duration-seconds does not apply to `enable`: drop it "
            "(see `root-access enable --help`)",
        ),
        (
            ["status", "--resume", "x.jsonl"],
            "--resume applies to the root-session changes (delete-credentials, "
            "allow-password-recovery, unlock-*), not to `status`: drop --resume",
        ),
        (
            ["--journal", "x.jsonl", "audit", "--all"],
            "--journal applies to the root-session changes (delete-credentials, "
            "allow-password-recovery, unlock-*), not to `audit`: drop --journal",
        ),
        (
            [
                "unlock-sqs-queue-policy",
                "--account",
                "222222222222",
                "--queue-url",
                "https://sqs.us-east-1.amazonaws.com/222222222222/q",
                "--max-workers",
                "2",
            ],
            "--max-workers applies to multi-account commands; `unlock-sqs-queue-policy` works "
            "on one account: drop --max-workers",
        ),
    ],
)
def test_an_option_the_verb_does_not_take_is_refused_in_one_line(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # given / when
    code = main(argv)
    out, err = capsys.readouterr()
    # then
    assert (code, out, err) == (2, "", f"root-access: error: {message}\n")
