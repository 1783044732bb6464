"""The command line's options, defined once: a declarative table every command draws from.

:data:`OPTIONS` holds every shared option (flags, type, default, help); a command names
the ones it accepts (``Command.options``) and :func:`add_options` adds exactly those to
its parser, so each verb's ``--help`` lists only what it accepts. The same options are
accepted before the command (``root-access --region eu-west-1 audit``); one that the
command does not take is refused in one line (``root_access.cli.main``).
:data:`SELECTION` is the targeting group of the multi-account commands.
"""

from __future__ import annotations

import argparse
import textwrap
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from root_access import DEFAULT_DURATION_SECONDS, DEFAULT_MAX_WORKERS, FEATURES, Selection
from root_access.arns import ACCOUNT_ID
from root_access.audit import DEFAULT_DETAIL, DETAIL_MODES
from root_access.cli.render import FORMATS
from root_access.errors import UsageError
from root_access.executor import validate_max_workers
from root_access.rules import DURATION_SECONDS, MAX_WORKERS
from root_access.sessions import validate_duration

__all__ = [
    "ALWAYS",
    "OPTIONS",
    "SELECTION",
    "VERBOSE_ENV",
    "Option",
    "account_id",
    "add_options",
    "add_selection_arguments",
    "features",
    "fill_defaults",
    "selection_of",
    "split",
]

VERBOSE_ENV = "ROOT_ACCESS_VERBOSE"


def split(value: str) -> list[str]:
    """``a,b`` -> ``[a, b]`` (comma-separated; repeated flags extend the list)."""
    return [part.strip() for part in value.split(",") if part.strip()]


def _int_option(validate: Callable[[int], int]) -> Callable[[str], int]:
    def parse(value: str) -> int:
        try:
            number = int(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
        try:
            return validate(number)
        except UsageError as error:
            raise argparse.ArgumentTypeError(str(error)) from None

    return parse


def account_id(value: str) -> str:
    """An argparse type: a 12-digit account id."""
    if ACCOUNT_ID.fullmatch(value) is None:
        raise argparse.ArgumentTypeError(
            f"malformed account id {value!r}: account ids are 12-digit strings, e.g. 222222222222"
        )
    return value


def features(value: str) -> list[str]:
    """An argparse type: a comma-separated list of organization features."""
    chosen = split(value)
    for feature in chosen:
        if feature not in FEATURES:
            raise argparse.ArgumentTypeError(
                f"unknown feature {feature!r}: choose from {', '.join(FEATURES)}"
            )
    return chosen


@dataclass(frozen=True)
class Option:
    """One shared option: its flags, argparse keywords (``type``, ``metavar``, ``action``,
    ``choices``), default, help text and help group."""

    flags: tuple[str, ...]
    dest: str
    help: str
    default: Any = None
    group: str = "options"
    kwargs: Mapping[str, Any] = field(default_factory=dict)


OPTIONS: dict[str, Option] = {
    option.dest: option
    for option in (
        Option(
            ("--region",),
            "region",
            "AWS region (default: AWS_REGION, AWS_DEFAULT_REGION, the profile's region)",
            group="AWS",
        ),
        Option(("--profile",), "profile", "AWS named profile (default: AWS_PROFILE)", group="AWS"),
        Option(
            ("-v", "--verbose"),
            "verbose",
            f"more logs on stderr (-v info, -vv debug, -vvv botocore); env {VERBOSE_ENV}",
            group="logging",
            kwargs={"action": "count"},
        ),
        Option(
            ("-q", "--quiet"),
            "quiet",
            "errors only on stderr (no progress, no warnings)",
            default=False,
            group="logging",
            kwargs={"action": "store_true"},
        ),
        Option(
            ("--format",),
            "format",
            "output format (default: table on a terminal, else json; with --output: from "
            "the file suffix .json/.csv/.md)",
            group="output",
            kwargs={"choices": FORMATS},
        ),
        Option(
            ("--output",),
            "output",
            "write results to FILE (replaced only when the run finishes)",
            group="output",
            kwargs={"metavar": "FILE"},
        ),
        Option(
            ("--max-workers",),
            "max_workers",
            f"accounts worked on at once, {MAX_WORKERS.span} (default {DEFAULT_MAX_WORKERS})",
            default=DEFAULT_MAX_WORKERS,
            group="run",
            kwargs={"type": _int_option(validate_max_workers), "metavar": "N"},
        ),
        Option(
            ("--duration-seconds",),
            "duration_seconds",
            f"AssumeRoot session length, {DURATION_SECONDS.span} "
            f"(default {DEFAULT_DURATION_SECONDS})",
            default=DEFAULT_DURATION_SECONDS,
            group="run",
            kwargs={"type": _int_option(validate_duration), "metavar": "S"},
        ),
        Option(
            ("--detail",),
            "detail",
            f"how much each audit reads (default {DEFAULT_DETAIL}): summary reads "
            "GetAccountSummary, then only the kinds its root flags report, so a clean account "
            "costs AssumeRoot + GetAccountSummary (2 calls); full reads every kind whatever "
            "the flags say, so a clean account costs AssumeRoot + GetAccountSummary + "
            "GetLoginProfile, ListAccessKeys, ListSigningCertificates, ListMFADevices (6 "
            "calls). delete-credentials: how the fresh audit session verifies an account it "
            "deleted from (an account found clean gets no second session in either mode)",
            default=DEFAULT_DETAIL,
            group="run",
            kwargs={"choices": DETAIL_MODES},
        ),
        Option(
            ("--yes",),
            "yes",
            "do not ask for confirmation (required without a terminal; --dry-run never asks)",
            default=False,
            group="run",
            kwargs={"action": "store_true"},
        ),
        Option(
            ("--skip-scp-blocked",),
            "skip_scp_blocked",
            "lint each account's SCPs first (Organizations reads) and report an account "
            "an SCP blocks in root sessions as blocked_by_scp, naming the policy, statement "
            "and fix, without AssumeRoot (default: try every account)",
            default=False,
            group="run",
            kwargs={"action": "store_true"},
        ),
        Option(
            ("--journal",),
            "journal",
            "append an evidence record of every change to FILE (JSON Lines)",
            group="evidence",
            kwargs={"metavar": "FILE"},
        ),
        Option(
            ("--resume",),
            "resume",
            "finish an interrupted run: skip accounts JOURNAL records as done, append to it",
            group="evidence",
            kwargs={"metavar": "JOURNAL"},
        ),
    )
}
"""Every shared option, by ``dest``."""

ALWAYS = ("region", "profile", "verbose", "quiet")
"""The options every command accepts."""

_GROUP_TITLES = {
    "AWS": "AWS options",
    "logging": "logging",
    "output": "output",
    "run": "run options",
    "evidence": "evidence",
}


def add_options(
    parser: argparse.ArgumentParser, names: Iterable[str], *, suppress: bool = True
) -> None:
    """Add the options ``names`` (keys of :data:`OPTIONS`) to ``parser``, grouped.

    With ``suppress`` (the default) an option not given leaves no attribute, so one given
    before the command is not overwritten; :func:`fill_defaults` sets the defaults.
    """
    groups: dict[str, Any] = {}
    for name in names:
        option = OPTIONS[name]
        group = groups.get(option.group)
        if group is None:
            group = groups[option.group] = parser.add_argument_group(
                _GROUP_TITLES.get(option.group, option.group)
            )
        group.add_argument(
            *option.flags,
            dest=option.dest,
            default=argparse.SUPPRESS if suppress else option.default,
            help=option.help,
            **option.kwargs,
        )


def fill_defaults(args: argparse.Namespace) -> argparse.Namespace:
    """Give every shared option not given its default (``None`` for the ones a command
    does not take, so the handlers read one shape)."""
    for name, option in OPTIONS.items():
        if not hasattr(args, name):
            setattr(args, name, option.default)
    return args


SELECTION: tuple[tuple[str, str, str], ...] = (
    ("--accounts", "ID", "member account ids (12 digits)"),
    ("--organizational-units", "OU", "OU ids (ou-…, or the root r-…); nested OUs included"),
    ("--exclude-accounts", "ID", "account ids to leave out"),
    ("--exclude-organizational-units", "OU", "OU ids (and their nested OUs) to leave out"),
)
"""The targeting flags of every multi-account command: flag, metavar, help."""


def add_selection_arguments(parser: argparse.ArgumentParser) -> None:
    """The targeting flags every multi-account command shares (comma-separated or repeated)."""
    group = parser.add_argument_group(
        "targeting",
        textwrap.fill(
            "Ids are comma-separated or repeated. Only ACTIVE member accounts are acted on; "
            "the management account and inactive accounts are reported as skipped. "
            "Exclusions apply last.",
            77,
        ),
    )
    for flag, metavar, text in SELECTION:
        group.add_argument(
            flag, action="extend", type=split, default=[], metavar=metavar, help=text
        )
    group.add_argument(
        "--all",
        action="store_true",
        help="every account of the organization (an org-wide run is never implied)",
    )


def selection_of(args: argparse.Namespace) -> Selection:
    """The validated :class:`Selection` of the targeting flags."""
    return Selection(
        accounts=tuple(args.accounts),
        organizational_units=tuple(args.organizational_units),
        exclude_accounts=tuple(args.exclude_accounts),
        exclude_organizational_units=tuple(args.exclude_organizational_units),
        all=args.all,
    ).validate()
