"""Partition-aware ARNs."""

from __future__ import annotations

import pytest

from root_access.arns import is_root_arn, partition_of, root_arn


@pytest.mark.parametrize(
    ("arn", "partition"),
    [
        ("arn:aws:iam::111111111111:user/pipeline", "aws"),
        ("arn:aws-cn:sts::111111111111:assumed-role/pipeline/run", "aws-cn"),
        ("arn:aws-us-gov:iam::111111111111:role/pipeline", "aws-us-gov"),
    ],
)
def test_partition_is_read_from_the_caller_arn(arn: str, partition: str) -> None:
    # given / when / then
    assert partition_of(arn) == partition


def test_a_non_arn_has_no_partition() -> None:
    # given / when / then
    with pytest.raises(ValueError, match="not an ARN: 'pipeline'"):
        partition_of("pipeline")


def test_root_arn_uses_the_given_partition() -> None:
    # given / when / then
    assert root_arn("aws-us-gov", "222222222222") == "arn:aws-us-gov:iam::222222222222:root"


@pytest.mark.parametrize(
    ("arn", "root"),
    [
        ("arn:aws:iam::111111111111:root", True),
        ("arn:aws-cn:iam::111111111111:root", True),
        ("arn:aws:iam::111111111111:user/root", False),
        ("arn:aws:sts::111111111111:assumed-role/root/x", False),
    ],
)
def test_root_arns_are_recognised(arn: str, root: bool) -> None:
    # given / when / then
    assert is_root_arn(arn) is root
