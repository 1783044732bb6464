"""SQS queue policy unlock: queue URL validation before any call, evidence, removal."""

from __future__ import annotations

import pytest

from root_access import UsageError
from root_access.unlock_sqs import parse_queue_url


@pytest.mark.parametrize(
    ("url", "region"),
    [
        ("https://sqs.eu-west-1.amazonaws.com/222222222222/locked", "eu-west-1"),
        ("https://sqs.cn-north-1.amazonaws.com.cn/222222222222/orders.fifo", "cn-north-1"),
        ("https://us-east-2.queue.amazonaws.com/222222222222/legacy_q", "us-east-2"),
        ("http://127.0.0.1:5000/222222222222/locked", None),
    ],
)
def test_queue_urls_of_the_account_are_accepted(url: str, region: str | None) -> None:
    # given / when / then
    assert parse_queue_url(url, account_id="222222222222") == (url, region)


@pytest.mark.parametrize(
    "url",
    [
        "sqs.eu-west-1.amazonaws.com/222222222222/q",
        "http://sqs.eu-west-1.amazonaws.com/222222222222/q",
        "https://evil.example.com/222222222222/q",
        "https://sqs.eu-west-1.amazonaws.com/22222222222/q",
        "https://sqs.eu-west-1.amazonaws.com/222222222222/",
        "https://sqs.eu-west-1.amazonaws.com/222222222222/q?Action=DeleteQueue",
        "https://sqs.eu-west-1.amazonaws.com/222222222222/bad name",
    ],
)
def test_malformed_queue_urls_are_usage_errors(url: str) -> None:
    # given / when / then
    with pytest.raises(UsageError) as raised:
        parse_queue_url(url, account_id="222222222222")
    assert str(raised.value) == (
        f"malformed queue URL {url!r}: expected https://sqs.<region>.amazonaws.com/"
        "<account-id>/<queue-name>"
    )


def test_queue_url_of_another_account_is_a_usage_error() -> None:
    # given
    url = "https://sqs.eu-west-1.amazonaws.com/444444444444/locked"
    # when / then
    with pytest.raises(UsageError) as raised:
        parse_queue_url(url, account_id="222222222222")
    assert str(raised.value) == (
        f"queue URL {url!r} belongs to account 444444444444, not 222222222222: name queues "
        "of the account being unlocked"
    )
