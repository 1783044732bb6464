"""SQS queue policy unlock: queue URL validation before any call, evidence, removal."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from root_access import Journal, Outcome, UsageError, unlock_sqs_queue_policy
from root_access.simulator import Simulator
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


POLICY = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Deny", "Principal": "*", "Action": "sqs:*", "Resource": "*"}],
    }
)


def test_unlock_records_the_policy_then_removes_it(simulator: Simulator, tmp_path: Path) -> None:
    # given a queue locked by a deny-all policy
    url = simulator.world.create_queue("222222222222", "locked", region="us-east-1", policy=POLICY)
    path = tmp_path / "evidence.jsonl"
    # when
    with Journal(path) as journal:
        result = unlock_sqs_queue_policy(
            simulator.session(), account_id="222222222222", queue_urls=[url], journal=journal
        )
    # then
    assert (result.outcome, result.task) == (Outcome.DELETED, "SQSUnlockQueuePolicy")
    assert [(c.kind, c.id, c.outcome, c.policy) for c in result.credentials] == [
        ("queue_policy", url, Outcome.DELETED, POLICY)
    ]
    records = [json.loads(line) for line in path.read_text().splitlines()]
    assert [(r.get("action"), r["outcome"], r.get("policy")) for r in records] == [
        ("GetQueueAttributes", "policy_recorded", POLICY),
        ("SetQueueAttributes", "deleted", POLICY),
        (None, "deleted", None),
    ]
    again = unlock_sqs_queue_policy(
        simulator.session(), account_id="222222222222", queue_urls=[url]
    )
    assert [c.outcome for c in again.credentials] == [Outcome.ALREADY_ABSENT]


def test_unlock_dry_run_keeps_the_policy(simulator: Simulator) -> None:
    # given
    url = simulator.world.create_queue("222222222222", "locked", region="us-east-1", policy=POLICY)
    # when
    planned = unlock_sqs_queue_policy(
        simulator.session(), account_id="222222222222", queue_urls=[url], dry_run=True
    )
    # then
    assert planned.outcome is Outcome.WOULD_DELETE
    assert not any(c.action == "SetQueueAttributes" for c in simulator.calls)


@pytest.mark.parametrize(
    ("queue_urls", "message"),
    [
        ([], "no queue given: name at least one --queue-url"),
        (
            ["https://sqs.us-east-1.amazonaws.com/444444444444/locked"],
            "queue URL 'https://sqs.us-east-1.amazonaws.com/444444444444/locked' belongs to "
            "account 444444444444, not 222222222222: name queues of the account being unlocked",
        ),
        (
            ["not a url"],
            "malformed queue URL 'not a url': expected https://sqs.<region>.amazonaws.com/"
            "<account-id>/<queue-name>",
        ),
    ],
)
def test_bad_queue_urls_make_no_aws_call(
    simulator: Simulator, queue_urls: list[str], message: str
) -> None:
    # given / when
    with pytest.raises(UsageError) as raised:
        unlock_sqs_queue_policy(
            simulator.session(), account_id="222222222222", queue_urls=queue_urls
        )
    # then
    assert str(raised.value) == message
    assert simulator.calls == []
