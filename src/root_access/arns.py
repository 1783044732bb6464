"""ARN helpers that never hard-code the partition.

Source: IAM User Guide, "IAM identifiers" (reference-arns.html).
"""

from __future__ import annotations

import re

from root_access import rules

__all__ = ["ACCOUNT_ID", "is_root_arn", "partition_of", "root_arn"]

ACCOUNT_ID = rules.ACCOUNT_ID.compiled
_ARN = re.compile(r"^arn:(?P<partition>aws[a-z-]*):")


def partition_of(arn: str) -> str:
    """The partition (``aws``, ``aws-cn``, ``aws-us-gov``) of an ARN.

    Raises ValueError when ``arn`` is not an ARN.
    """
    match = _ARN.match(arn)
    if match is None:
        raise ValueError(f"not an ARN: {arn!r}")
    return match.group("partition")


def root_arn(partition: str, account_id: str) -> str:
    """``arn:<partition>:iam::<account_id>:root``, the AssumeRoot target."""
    return f"arn:{partition}:iam::{account_id}:root"


def is_root_arn(arn: str) -> bool:
    """True for the ARN of an account's root user (``arn:…:iam::<id>:root``)."""
    return re.fullmatch(rf"arn:aws[a-z-]*:iam::{rules.ACCOUNT_ID.body}:root", arn) is not None
