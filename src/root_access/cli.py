"""The ``root-access`` command line: the human-facing door into the engine.

Parses argv, validates every input BEFORE any AWS call (one line on stderr, exit 2),
builds the boto3 session, calls the engine's public functions and prints their
results (stdout or ``--output``) in the chosen format. Logs and progress go to stderr.
Session credentials never reach any output: the engine returns ids, counts and
outcomes only, and the log handler redacts secrets should botocore debug logging
(``-vvv``) ever print a response body or header holding them.

Exit codes: 0 every targeted account ended well; 1 some did not; 2 usage or
preflight error (nothing was changed).
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import logging
import os
import re
import sys
import tempfile
import textwrap
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import IO, Any, NoReturn

import boto3
from botocore.exceptions import BotoCoreError, ClientError, ProfileNotFound
from botocore.parsers import ResponseParserError

from root_access import (
    DEFAULT_DURATION_SECONDS,
    DEFAULT_MAX_WORKERS,
    FEATURES,
    AccountResult,
    Journal,
    Preflight,
    PreflightError,
    RootTask,
    Selection,
    UsageError,
    __version__,
    allow_password_recovery,
    audit,
    delete_credentials,
    disable,
    enable,
    preflight,
    summarize,
    unlock_s3_bucket_policy,
    unlock_sqs_queue_policy,
)
from root_access.arns import ACCOUNT_ID
from root_access.clients import organizations_client
from root_access.errors import error_code, error_message
from root_access.executor import validate_max_workers
from root_access.preflight import require
from root_access.progress import progress_for
from root_access.render import FORMATS, render_mapping, safe_cell, summary_line, writer_for
from root_access.rules import DURATION_SECONDS, MAX_WORKERS
from root_access.sessions import validate_duration
from root_access.tree import account_rows, draw, read_organization, to_dict
from root_access.unlock_s3 import validate_bucket_name
from root_access.unlock_sqs import parse_queue_url

__all__ = ["EXIT_FAILED", "EXIT_OK", "EXIT_USAGE", "build_parser", "main"]

EXIT_OK = 0
"""Every targeted account ended well."""
EXIT_FAILED = 1
"""At least one targeted account did not end well (see its outcome)."""
EXIT_USAGE = 2
"""Usage or preflight error: nothing was changed."""

PROG = "root-access"
VERBOSE_ENV = "ROOT_ACCESS_VERBOSE"

_EXIT_CODES = """\
exit codes:
  0  every targeted account ended well
  1  some targeted account did not (its outcome says why; rerunning is safe)
  2  usage or preflight error, reported in one line on stderr; nothing was changed
"""

_log = logging.getLogger("root_access.cli")


# ---------------------------------------------------------------------------
# argparse: one-line errors, no SystemExit escaping main()


class _ParserExit(Exception):
    """``--help`` / ``--version`` finished (status 0)."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line and never call ``sys.exit``."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see `{self.prog} --help`)")

    def exit(self, status: int = 0, message: str | None = None) -> NoReturn:
        if message:
            sys.stderr.write(message)
        raise _ParserExit(status)


def _split(value: str) -> list[str]:
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


def _account_id(value: str) -> str:
    if ACCOUNT_ID.fullmatch(value) is None:
        raise argparse.ArgumentTypeError(
            f"malformed account id {value!r}: account ids are 12-digit strings, e.g. 222222222222"
        )
    return value


def _features(value: str) -> list[str]:
    features = _split(value)
    for feature in features:
        if feature not in FEATURES:
            raise argparse.ArgumentTypeError(
                f"unknown feature {feature!r}: choose from {', '.join(FEATURES)}"
            )
    return features


def _add_global_options(parser: argparse.ArgumentParser, *, suppress: bool) -> None:
    """Global options, accepted before and after the command.

    On the subcommands the defaults are SUPPRESSed so that an option given before the
    command is not overwritten by the subcommand's default.
    """

    def default(value: Any) -> Any:
        return argparse.SUPPRESS if suppress else value

    group = parser.add_argument_group("global options")
    group.add_argument(
        "--region",
        default=default(None),
        help="AWS region (default: AWS_REGION, AWS_DEFAULT_REGION, the profile)",
    )
    group.add_argument("--profile", default=default(None), help="AWS named profile")
    group.add_argument(
        "--max-workers",
        type=_int_option(validate_max_workers),
        default=default(DEFAULT_MAX_WORKERS),
        metavar="N",
        help=f"accounts worked on at once, {MAX_WORKERS.span} (default {DEFAULT_MAX_WORKERS})",
    )
    group.add_argument(
        "--duration-seconds",
        type=_int_option(validate_duration),
        default=default(DEFAULT_DURATION_SECONDS),
        metavar="S",
        help=f"AssumeRoot session length, {DURATION_SECONDS.span} "
        f"(default {DEFAULT_DURATION_SECONDS})",
    )
    group.add_argument(
        "--format",
        choices=FORMATS,
        default=default(None),
        help="output format (default: table on a terminal, else json; "
        "with --output: from the file suffix .json/.csv/.md)",
    )
    group.add_argument(
        "--output", default=default(None), metavar="FILE", help="write results to FILE"
    )
    group.add_argument(
        "--journal",
        default=default(None),
        metavar="FILE",
        help="append an evidence record of every change to FILE (JSON Lines)",
    )
    group.add_argument(
        "--resume",
        default=default(None),
        metavar="JOURNAL",
        help="finish an interrupted run: skip accounts JOURNAL records as done, append to it",
    )
    group.add_argument(
        "-v",
        "--verbose",
        action="count",
        default=default(None),
        help=f"more logs on stderr (-v info, -vv debug, -vvv botocore); env {VERBOSE_ENV}",
    )
    group.add_argument(
        "-q", "--quiet", action="store_true", default=default(False), help="errors only"
    )


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
    for flag, metavar, text in (
        ("--accounts", "ID", "member account ids (12 digits)"),
        ("--organizational-units", "OU", "OU ids (ou-…, or the root r-…); nested OUs included"),
        ("--exclude-accounts", "ID", "account ids to leave out"),
        ("--exclude-organizational-units", "OU", "OU ids (and their nested OUs) to leave out"),
    ):
        group.add_argument(
            flag, action="extend", type=_split, default=[], metavar=metavar, help=text
        )
    group.add_argument(
        "--all",
        action="store_true",
        help="every account of the organization (an org-wide run is never implied)",
    )


def _selection(args: argparse.Namespace) -> Selection:
    return Selection(
        accounts=tuple(args.accounts),
        organizational_units=tuple(args.organizational_units),
        exclude_accounts=tuple(args.exclude_accounts),
        exclude_organizational_units=tuple(args.exclude_organizational_units),
        all=args.all,
    ).validate()


def _dry_run(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="do the reads and show what would change; change nothing",
    )


_TOP_EPILOG = f"""\
examples:
  {PROG} status                                   # preflight and the organization tree
  {PROG} enable --trusted-access --delegated-administrator 333333333333
  {PROG} audit --all --format csv --output audit.csv
  {PROG} delete-credentials --organizational-units ou-ab12-cdefgh34 --dry-run
  {PROG} delete-credentials --accounts 222222222222 --journal evidence.jsonl
  {PROG} simulate --accounts 50 --with-credentials 30   # an offline organization

{_EXIT_CODES}"""


def _command(
    subparsers: Any, name: str, help_text: str, examples: str, *, description: str | None = None
) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        name,
        help=help_text,
        description=textwrap.fill(description or help_text, 79),
        epilog=f"examples:\n{examples}\n\n{_EXIT_CODES}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        allow_abbrev=False,
    )
    return parser


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser (exposed for docs and tests)."""
    parser = _Parser(
        prog=PROG,
        description="AWS Organizations centralized root access: enable the features, audit "
        "member root users, delete their credentials and run the other privileged root "
        "tasks through sts:AssumeRoot.",
        epilog=_TOP_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        allow_abbrev=False,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    _add_global_options(parser, suppress=False)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    status = _command(
        subparsers,
        "status",
        "preflight checks and the organization as a tree",
        f"  {PROG} status\n  {PROG} status --audit --format json",
        description="Check the caller, region, organization, trusted access for "
        "iam.amazonaws.com and the enabled features, then draw the organization "
        "(OUs, accounts, management account, IAM delegated administrator).",
    )
    status.add_argument(
        "--audit",
        action="store_true",
        help="also audit every member account (IAMAuditRootUserCredentials) to show each "
        "root user's credential posture",
    )
    status.set_defaults(handler=_status)

    enable = _command(
        subparsers,
        "enable",
        "enable RootCredentialsManagement and RootSessions (idempotent)",
        f"  {PROG} enable --trusted-access\n"
        f"  {PROG} enable --features RootCredentialsManagement\n"
        f"  {PROG} enable --delegated-administrator 333333333333 --dry-run",
        description="Enable the organization features for centralized root access, from "
        "the management account. Only what is missing is enabled.",
    )
    enable.add_argument(
        "--trusted-access",
        action="store_true",
        help="also enable trusted access for iam.amazonaws.com (organizations:"
        "EnableAWSServiceAccess; the API does not do it for you)",
    )
    enable.add_argument(
        "--features",
        type=_features,
        default=list(FEATURES),
        metavar="LIST",
        help=f"features to enable (default: {','.join(FEATURES)})",
    )
    enable.add_argument(
        "--delegated-administrator",
        type=_account_id,
        metavar="ACCOUNT_ID",
        help="register this member account as the IAM delegated administrator",
    )
    _dry_run(enable)
    enable.set_defaults(handler=_enable)

    disable = _command(
        subparsers,
        "disable",
        "disable centralized root access features (asks for confirmation)",
        f"  {PROG} disable --features RootSessions\n  {PROG} disable --yes",
        description="Disable RootCredentialsManagement and/or RootSessions for the whole "
        "organization. Asks for confirmation; without a terminal, --yes is required.",
    )
    disable.add_argument(
        "--features",
        type=_features,
        default=list(FEATURES),
        metavar="LIST",
        help=f"features to disable (default: {','.join(FEATURES)})",
    )
    disable.add_argument(
        "--delegated-administrator",
        type=_account_id,
        metavar="ACCOUNT_ID",
        help="also deregister this IAM delegated administrator",
    )
    disable.add_argument(
        "--trusted-access",
        action="store_true",
        help="also disable trusted access for iam.amazonaws.com (after the features)",
    )
    disable.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    _dry_run(disable)
    disable.set_defaults(handler=_disable)

    audit = _command(
        subparsers,
        "audit",
        "audit member root users (password, keys, certificates, MFA)",
        f"  {PROG} audit --all\n"
        f"  {PROG} audit --organizational-units ou-ab12-cdefgh34 --exclude-accounts "
        "444444444444\n"
        f"  {PROG} audit --accounts 222222222222,555555555555 --format json",
        description="Audit the root user of each selected member account live, in an "
        "IAMAuditRootUserCredentials session: password, access keys (active and "
        "inactive), signing certificates, MFA devices, and the IAM.4/IAM.6/IAM.9 view.",
    )
    add_selection_arguments(audit)
    audit.set_defaults(handler=_audit, reads_only=True)

    delete = _command(
        subparsers,
        "delete-credentials",
        "delete member root credentials (password, keys, certificates, MFA)",
        f"  {PROG} delete-credentials --accounts 222222222222 --dry-run\n"
        f"  {PROG} delete-credentials --organizational-units ou-ab12-cdefgh34 "
        "--journal evidence.jsonl\n"
        f"  {PROG} delete-credentials --resume evidence.jsonl --organizational-units "
        "ou-ab12-cdefgh34",
        description="Delete every root credential of each selected member account in an "
        "IAMDeleteRootUserCredentials session: the password, every access key and "
        "signing certificate; deactivate every MFA device and delete the virtual ones; "
        "then verify with a fresh audit. What is already gone is already_absent.",
    )
    add_selection_arguments(delete)
    _dry_run(delete)
    delete.add_argument(
        "--keep-virtual-mfa-devices",
        action="store_true",
        help="deactivate virtual MFA devices but do not delete them",
    )
    delete.set_defaults(handler=_delete, details=True)

    recovery = _command(
        subparsers,
        "allow-password-recovery",
        "let member root users recover their password (IAMCreateRootUserPassword)",
        f"  {PROG} allow-password-recovery --accounts 222222222222\n"
        f"  {PROG} allow-password-recovery --accounts 222222222222 --dry-run",
        description="Create a login profile without a password (CreateLoginProfile with "
        "no arguments) so the root user can use 'Forgot password'. Already allowed is a "
        "no-op success.",
    )
    add_selection_arguments(recovery)
    _dry_run(recovery)
    recovery.set_defaults(handler=_recovery)

    s3 = _command(
        subparsers,
        "unlock-s3-bucket-policy",
        "delete a bucket policy that locks everyone out (S3UnlockBucketPolicy)",
        f"  {PROG} unlock-s3-bucket-policy --account 222222222222 --bucket my-bucket --dry-run",
        description="Record the bucket policy (as evidence) and delete it, in an "
        "S3UnlockBucketPolicy root session of the member account that owns the bucket.",
    )
    s3.add_argument("--account", required=True, type=_account_id, metavar="ID")
    s3.add_argument(
        "--bucket",
        required=True,
        action="extend",
        type=_split,
        metavar="NAME",
        help="bucket name (repeatable)",
    )
    _dry_run(s3)
    s3.set_defaults(handler=_unlock_s3, details=True)

    sqs = _command(
        subparsers,
        "unlock-sqs-queue-policy",
        "delete a queue policy that locks everyone out (SQSUnlockQueuePolicy)",
        f"  {PROG} unlock-sqs-queue-policy --account 222222222222 "
        "--queue-url https://sqs.eu-west-1.amazonaws.com/222222222222/orders --dry-run",
        description="Record the queue policy (as evidence) and remove it, in an "
        "SQSUnlockQueuePolicy root session of the member account that owns the queue.",
    )
    sqs.add_argument("--account", required=True, type=_account_id, metavar="ID")
    sqs.add_argument(
        "--queue-url",
        required=True,
        action="extend",
        type=_split,
        metavar="URL",
        help="queue URL (repeatable)",
    )
    _dry_run(sqs)
    sqs.set_defaults(handler=_unlock_sqs, details=True)

    subparsers.add_parser(
        "simulate",
        help="run the offline simulator of the AWS APIs (see `root-access simulate --help`)",
        add_help=False,
    )

    for name, sub in subparsers.choices.items():
        if name != "simulate":
            _add_global_options(sub, suppress=True)
    return parser


# ---------------------------------------------------------------------------
# Logging to stderr, with secrets redacted


_SECRET_PATTERNS = (
    re.compile(r"(<(SecretAccessKey|SessionToken)>)[^<]*(</\2>)"),
    re.compile(
        r"""(['"]?(?:SecretAccessKey|SessionToken|aws_secret_access_key|aws_session_token|"""
        r"""Password|NewPassword)['"]?\s*[:=]\s*b?['"]?)[^'",\s}&]+""",
        re.IGNORECASE,
    ),
    re.compile(r"""((?:X-Amz-Security-Token)['"]?\s*[:=]\s*b?['"]?)[^'",\s}&]+""", re.IGNORECASE),
)


def redact(text: str) -> str:
    """``text`` with AWS secret keys, session tokens and passwords replaced by ``***``."""
    text = _SECRET_PATTERNS[0].sub(r"\1***\3", text)
    for pattern in _SECRET_PATTERNS[1:]:
        text = pattern.sub(r"\1***", text)
    return text


class _StderrHandler(logging.Handler):
    """Writes to the *current* ``sys.stderr`` (so progress displays and tests see it)."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            sys.stderr.write(redact(self.format(record)) + "\n")
        except (OSError, ValueError):
            self.handleError(record)


@dataclass
class _Logging:
    handler: logging.Handler
    loggers: list[tuple[logging.Logger, int]]

    def close(self) -> None:
        for logger, level in self.loggers:
            logger.removeHandler(self.handler)
            logger.setLevel(level)


def _verbosity(args: argparse.Namespace) -> int:
    if args.verbose is not None:
        return int(args.verbose)
    raw = os.environ.get(VERBOSE_ENV, "").strip()
    if not raw:
        return 0
    try:
        return max(int(raw), 0)
    except ValueError:
        raise UsageError(
            f"{VERBOSE_ENV}={raw!r} is not a number: set it to 0, 1, 2 or 3 (like -v counts)"
        ) from None


def _configure_logging(verbosity: int, quiet: bool) -> _Logging:
    handler = _StderrHandler()
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    if quiet:
        ours, botocore = logging.ERROR, logging.ERROR
    else:
        ours = {0: logging.WARNING, 1: logging.INFO}.get(verbosity, logging.DEBUG)
        botocore = logging.DEBUG if verbosity >= 3 else logging.WARNING
    loggers = []
    for name, level in (("root_access", ours), ("botocore", botocore), ("boto3", botocore)):
        logger = logging.getLogger(name)
        loggers.append((logger, logger.level))
        logger.setLevel(level)
        logger.addHandler(handler)
    return _Logging(handler, loggers)


# ---------------------------------------------------------------------------
# Validation of paths and the unlock inputs (before any AWS call)


def _check_writable(path: str, flag: str) -> None:
    target = Path(path)
    if target.is_dir():
        raise UsageError(f"{flag} {path} is a directory: name a file")
    parent = target.parent if str(target.parent) else Path(".")
    if not parent.is_dir():
        raise UsageError(f"{flag} {path}: directory {parent} does not exist: create it first")
    if not os.access(parent, os.W_OK):
        raise UsageError(f"{flag} {path}: directory {parent} is not writable")


# ---------------------------------------------------------------------------
# Output: stdout or an atomically replaced --output file


_SUFFIX_FORMATS = {".json": "json", ".csv": "csv", ".md": "markdown", ".markdown": "markdown"}


def _format(args: argparse.Namespace) -> str:
    if args.format:
        return str(args.format)
    if args.output:
        return _SUFFIX_FORMATS.get(Path(args.output).suffix.lower(), "json")
    isatty = getattr(sys.stdout, "isatty", None)
    return "table" if isatty is not None and isatty() else "json"


class _Output:
    """stdout, or ``--output FILE`` written to a temporary file and renamed on success,
    so a failed or killed run never leaves a half-written FILE."""

    def __init__(self, path: str | None) -> None:
        self._path = path
        self._tmp: str | None = None
        self._stream: IO[str] | None = None

    def __enter__(self) -> IO[str]:
        if self._path is None:
            return sys.stdout
        target = Path(self._path)
        fd, self._tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent or ".")
        self._stream = os.fdopen(fd, "w", encoding="utf-8", newline="")
        return self._stream

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._stream is None or self._tmp is None or self._path is None:
            sys.stdout.flush()
            return
        self._stream.close()
        if exc_type is None:
            os.replace(self._tmp, self._path)
        else:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self._tmp)


def _emit(
    args: argparse.Namespace,
    results: Iterable[AccountResult],
    *,
    description: str,
    details: bool = False,
) -> int:
    fmt = _format(args)
    with _Output(args.output) as stream:
        writer = writer_for(fmt, stream, details=details, title=description)
        with progress_for(description, sys.stderr, quiet=args.quiet) as progress:

            def tee() -> Iterator[AccountResult]:
                for result in results:
                    _log.debug(
                        "%s: account %s %s %s",
                        description,
                        result.account_id,
                        result.outcome.value,
                        result.detail,
                    )
                    progress.advance(result)
                    writer.write(result)
                    yield result

            try:
                summary = summarize(tee())
            except (ClientError, BotoCoreError, ResponseParserError) as error:
                raise _RunStopped(error) from error
        writer.close(summary)
    _log.info("%s: %s", description, summary_line(summary))
    return summary.exit_code


class _RunStopped(Exception):
    """An AWS failure escaped the engine after the run started: results are partial."""

    def __init__(self, error: Exception) -> None:
        super().__init__(str(error))
        self.error = error


# ---------------------------------------------------------------------------
# Run context: what every command validates before building the session


@dataclass
class _Run:
    args: argparse.Namespace
    journal: Journal | None
    resume: bool

    def session(self) -> boto3.Session:
        """The caller's boto3 session (profile and region from the flags)."""
        try:
            # botocore reads AWS_DEFAULT_REGION but not AWS_REGION (the other SDKs' name).
            region = self.args.region or os.environ.get("AWS_REGION") or None
            return boto3.Session(profile_name=self.args.profile, region_name=region)
        except ProfileNotFound:
            raise UsageError(
                f"AWS profile {self.args.profile!r} not found: check --profile or ~/.aws/config"
            ) from None

    def common(self) -> dict[str, Any]:
        """Keyword options every engine sweep takes."""
        return {
            "region": self.args.region,
            "max_workers": self.args.max_workers,
            "duration_seconds": self.args.duration_seconds,
        }

    def writing(self) -> dict[str, Any]:
        """Keyword options of the writing sweeps (journal, resume)."""
        return {**self.common(), "journal": self.journal, "resume": self.resume}


def _prepare(args: argparse.Namespace, *, writes: bool) -> _Run:
    """Check the paths and flag combinations of every command (no AWS call)."""
    if args.quiet and args.verbose:
        raise UsageError("-q and -v contradict each other: pick one")
    if args.output:
        _check_writable(args.output, "--output")
    if not writes and (args.journal or args.resume):
        flag = "--journal" if args.journal else "--resume"
        raise UsageError(
            f"{flag} applies to the root-session changes (delete-credentials, "
            f"allow-password-recovery, unlock-*), not to `{args.command}`: drop {flag}"
        )
    journal_path = args.journal
    if args.resume:
        if not Path(args.resume).is_file():
            raise UsageError(
                f"--resume {args.resume}: no such journal; pass the --journal file of the "
                "interrupted run"
            )
        if args.journal and Path(args.journal).resolve() != Path(args.resume).resolve():
            raise UsageError(
                "--resume appends to the journal it resumes: drop --journal or give the same file"
            )
        journal_path = args.resume
    if journal_path:
        _check_writable(journal_path, "--journal")
    return _Run(
        args=args,
        journal=Journal(journal_path) if journal_path else None,
        resume=bool(args.resume),
    )


# ---------------------------------------------------------------------------
# Commands


def _audit(args: argparse.Namespace) -> int:

    selection = _selection(args)
    run = _prepare(args, writes=False)
    results = audit(run.session(), selection=selection, **run.common())
    return _emit(args, results, description="audit")


def _delete(args: argparse.Namespace) -> int:

    selection = _selection(args)
    run = _prepare(args, writes=True)
    with contextlib.ExitStack() as stack:
        if run.journal is not None:
            stack.enter_context(run.journal)
        results = delete_credentials(
            run.session(),
            selection=selection,
            dry_run=args.dry_run,
            delete_virtual_mfa=not args.keep_virtual_mfa_devices,
            **run.writing(),
        )
        title = "delete-credentials (dry run)" if args.dry_run else "delete-credentials"
        return _emit(args, results, description=title, details=True)


def _recovery(args: argparse.Namespace) -> int:

    selection = _selection(args)
    run = _prepare(args, writes=True)
    with contextlib.ExitStack() as stack:
        if run.journal is not None:
            stack.enter_context(run.journal)
        results = allow_password_recovery(
            run.session(), selection=selection, dry_run=args.dry_run, **run.writing()
        )
        title = "allow-password-recovery" + (" (dry run)" if args.dry_run else "")
        return _emit(args, results, description=title)


def _single_account_options(run: _Run) -> dict[str, Any]:
    if run.resume:
        raise UsageError(
            "--resume applies to multi-account commands; rerun the unlock instead "
            "(it is safe: an absent policy is already_absent)"
        )
    return {
        "region": run.args.region,
        "duration_seconds": run.args.duration_seconds,
        "journal": run.journal,
    }


def _unlock_s3(args: argparse.Namespace) -> int:

    buckets = tuple(dict.fromkeys(validate_bucket_name(b) for b in args.bucket))
    run = _prepare(args, writes=True)
    options = _single_account_options(run)
    with contextlib.ExitStack() as stack:
        if run.journal is not None:
            stack.enter_context(run.journal)
        result = unlock_s3_bucket_policy(
            run.session(), account_id=args.account, buckets=buckets, dry_run=args.dry_run, **options
        )
        title = "unlock-s3-bucket-policy" + (" (dry run)" if args.dry_run else "")
        return _emit(args, [result], description=title, details=True)


def _unlock_sqs(args: argparse.Namespace) -> int:

    urls = tuple(
        dict.fromkeys(parse_queue_url(u, account_id=args.account)[0] for u in args.queue_url)
    )
    run = _prepare(args, writes=True)
    options = _single_account_options(run)
    with contextlib.ExitStack() as stack:
        if run.journal is not None:
            stack.enter_context(run.journal)
        result = unlock_sqs_queue_policy(
            run.session(), account_id=args.account, queue_urls=urls, dry_run=args.dry_run, **options
        )
        title = "unlock-sqs-queue-policy" + (" (dry run)" if args.dry_run else "")
        return _emit(args, [result], description=title, details=True)


def _record(args: argparse.Namespace, data: dict[str, Any], title: str) -> None:
    with _Output(args.output) as stream:
        render_mapping(_format(args), stream, data, title=title)


def _enable(args: argparse.Namespace) -> int:

    run = _prepare(args, writes=False)
    session = run.session()
    if args.dry_run:
        checked = preflight(session, region=args.region)
        plan: dict[str, Any] = {
            "organization_id": checked.organization_id,
            "caller_role": checked.caller_role,
            "dry_run": True,
            "enable_trusted_access": bool(
                args.trusted_access and checked.trusted_access is not True
            ),
            "enable_features": [
                f for f in args.features if f not in (checked.enabled_features or ())
            ],
            "register_delegated_administrator": (
                args.delegated_administrator
                if args.delegated_administrator
                and args.delegated_administrator not in (checked.delegated_administrators or ())
                else None
            ),
        }
        _record(args, plan, "enable (dry run)")
        return EXIT_OK
    result = enable(
        session,
        trusted_access=args.trusted_access,
        features=tuple(args.features),
        delegated_administrator=args.delegated_administrator,
        region=args.region,
    )
    _record(args, result.to_dict(), "enable")
    return EXIT_OK


def _confirm(question: str) -> bool:
    sys.stderr.write(question)
    sys.stderr.flush()
    try:
        answer = input()
    except EOFError:
        return False
    return answer.strip().lower() in ("y", "yes")


def _disable(args: argparse.Namespace) -> int:

    run = _prepare(args, writes=False)
    if not args.yes and not args.dry_run and not sys.stdin.isatty():
        raise UsageError(
            "disable turns features off for the whole organization and needs confirmation: "
            "run it at a terminal or pass --yes"
        )
    session = run.session()
    checked = preflight(session, region=args.region)
    enabled = checked.enabled_features or ()
    plan: dict[str, Any] = {
        "organization_id": checked.organization_id,
        "dry_run": True,
        "disable_features": [f for f in args.features if f in enabled],
        "deregister_delegated_administrator": (
            args.delegated_administrator
            if args.delegated_administrator in (checked.delegated_administrators or ())
            else None
        ),
        "disable_trusted_access": bool(args.trusted_access and checked.trusted_access),
    }
    if args.dry_run:
        _record(args, plan, "disable (dry run)")
        return EXIT_OK
    if not args.yes:
        what = ", ".join(plan["disable_features"]) or "nothing"
        question = (
            f"Disable {what} for organization {checked.organization_id}? Central audit and "
            "deletion of member root credentials stop for every member account. [y/N] "
        )
        if not _confirm(question):
            sys.stderr.write(f"{PROG}: not confirmed; nothing was disabled\n")
            return EXIT_USAGE
    result = disable(
        session,
        features=tuple(args.features),
        delegated_administrator=args.delegated_administrator,
        trusted_access=args.trusted_access,
        region=args.region,
    )
    _record(args, result.to_dict(), "disable")
    return EXIT_OK


def _readiness(checked: Preflight) -> dict[str, str]:
    """Each root task: ``ready`` or the one-line preflight error that blocks it."""
    ready: dict[str, str] = {}
    for task in RootTask:
        try:
            require(checked, task)
        except PreflightError as error:
            ready[task.value] = str(error)
        else:
            ready[task.value] = "ready"
    return ready


def _status(args: argparse.Namespace) -> int:

    run = _prepare(args, writes=False)
    session = run.session()
    checked = preflight(session, region=args.region)
    facts = {**checked.to_dict(), "tasks": _readiness(checked)}
    roots = read_organization(organizations_client(session, checked.region))
    audit_results: dict[str, AccountResult] | None = None
    exit_code = EXIT_OK
    if args.audit:
        audit_results = {}
        stream = audit(
            session, selection=Selection(all=True), preflight_result=checked, **run.common()
        )
        with progress_for("audit", sys.stderr, quiet=args.quiet) as progress:
            for result in stream:
                progress.advance(result)
                audit_results[result.account_id] = result
        exit_code = summarize(audit_results.values()).exit_code
    options: dict[str, Any] = {
        "management_account_id": checked.management_account_id,
        "delegated_administrators": checked.delegated_administrators or (),
        "audit": audit_results,
    }
    fmt = _format(args)
    with _Output(args.output) as out:
        if fmt == "json":
            document = {
                "preflight": facts,
                "organization": [to_dict(root, **options) for root in roots],
            }
            out.write(json.dumps(document, indent=2) + "\n")
        elif fmt == "csv":
            writer = csv.DictWriter(
                out,
                fieldnames=("account_id", "name", "state", "path", "role", "posture"),
                lineterminator="\n",
            )
            writer.writeheader()
            for row in account_rows(roots, **options):
                writer.writerow({key: safe_cell(value) for key, value in row.items()})
        else:
            flat = {k: v for k, v in facts.items() if k != "tasks"}
            flat.update({f"task {task}": state for task, state in facts["tasks"].items()})
            render_mapping(fmt, out, flat, title="preflight")
            if fmt == "markdown":
                out.write("\n```text\n")
                draw(roots, out, **options)
                out.write("```\n")
            else:
                out.write("\n")
                draw(roots, out, **options)
    return exit_code


def _simulate(argv: list[str]) -> int:
    from root_access.simulator.cli import main as simulator_main

    try:
        return int(simulator_main(argv) or 0)
    except SystemExit as done:  # the simulator's argparse (--help, usage errors)
        return done.code if isinstance(done.code, int) else EXIT_USAGE


# ---------------------------------------------------------------------------
# main


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _fail(message: str) -> int:
    sys.stderr.write(f"{PROG}: error: {_one_line(message)}\n")
    sys.stderr.flush()
    return EXIT_USAGE


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``root-access`` with ``argv`` (default ``sys.argv[1:]``); return the exit code.

    0 every targeted account ended well; 1 some did not; 2 usage or preflight error
    (one line on stderr, nothing changed). Never raises ``SystemExit``.
    """
    arguments = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    try:
        args, extra = parser.parse_known_args(arguments)
        if args.command == "simulate":
            return _simulate(arguments[arguments.index("simulate") + 1 :])
        if extra:
            raise UsageError(
                f"unrecognized arguments: {' '.join(extra)} (see `{PROG} {args.command} --help`)"
            )
    except _ParserExit as done:
        return done.status
    except UsageError as error:
        return _fail(str(error))
    try:
        verbosity = _verbosity(args)
    except UsageError as error:
        return _fail(str(error))
    logs = _configure_logging(verbosity, args.quiet)
    _log.info("root-access %s %s", __version__, args.command)
    try:
        code: int = args.handler(args)
        return code
    except (UsageError, PreflightError) as error:
        return _fail(str(error))
    except _RunStopped as stopped:
        _log.debug("run stopped", exc_info=verbosity >= 2)
        sys.stderr.write(
            f"{PROG}: error: the run stopped part-way: {_one_line(str(stopped))}; results "
            "are incomplete: rerun (with --resume JOURNAL for changes) to finish\n"
        )
        return EXIT_FAILED
    except ClientError as error:
        _log.debug("AWS error", exc_info=verbosity >= 2)
        return _fail(f"AWS {error_code(error)} during preflight: {error_message(error)}")
    except (BotoCoreError, ResponseParserError) as error:
        _log.debug("botocore error", exc_info=verbosity >= 2)
        return _fail(f"{error} (check credentials, --profile, --region and the network)")
    except BrokenPipeError:
        # The reader went away (`| head`): stop quietly, no traceback on the closed pipe.
        with contextlib.suppress(OSError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        return EXIT_FAILED
    except KeyboardInterrupt:
        sys.stderr.write(f"\n{PROG}: interrupted; rerun (with --resume JOURNAL) to finish\n")
        return 130
    finally:
        logs.close()


if __name__ == "__main__":
    sys.exit(main())
