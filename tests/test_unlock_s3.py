"""S3 bucket policy unlock: validation before any call, evidence, removal."""

from __future__ import annotations

import pytest

from root_access import UsageError
from root_access.unlock_s3 import validate_bucket_name


@pytest.mark.parametrize("name", ["locked-bucket", "a.b-c", "abc", "a" * 63, "logs.2026"])
def test_valid_bucket_names_pass(name: str) -> None:
    # given / when / then
    assert validate_bucket_name(name) == name


@pytest.mark.parametrize(
    "name",
    [
        "ab",
        "a" * 64,
        "Upper",
        "-start",
        "end-",
        "a..b",
        "192.168.5.4",
        "xn--abc",
        "b--x-s3",
        "a_b",
        "",
    ],
)
def test_malformed_bucket_names_are_usage_errors(name: str) -> None:
    # given / when / then
    with pytest.raises(UsageError) as raised:
        validate_bucket_name(name)
    assert str(raised.value) == (
        f"malformed bucket name {name!r}: 3-63 lowercase letters, digits, dots and hyphens, "
        "starting and ending with a letter or digit"
    )
