"""One module per ``root-access`` command, each defining ``COMMAND``."""

from __future__ import annotations

from root_access.cli.command import Command
from root_access.cli.commands import (
    allow_password_recovery,
    audit,
    delete_credentials,
    disable,
    enable,
    status,
    unlock_s3_bucket_policy,
    unlock_sqs_queue_policy,
)

__all__ = ["COMMANDS"]

COMMANDS: tuple[Command, ...] = (
    status.COMMAND,
    enable.COMMAND,
    disable.COMMAND,
    audit.COMMAND,
    delete_credentials.COMMAND,
    allow_password_recovery.COMMAND,
    unlock_s3_bucket_policy.COMMAND,
    unlock_sqs_queue_policy.COMMAND,
)
"""The commands in the order ``--help`` lists them (``simulate`` is added by the parser)."""
