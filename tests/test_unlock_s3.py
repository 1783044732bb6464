"""S3 bucket policy unlock: validation before any call, evidence, removal."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from root_access import Journal, Outcome, UsageError, preflight, unlock_s3_bucket_policy
from root_access.simulator import Simulator
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


POLICY = (
    '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*",'
    '"Action":"s3:*","Resource":["arn:aws:s3:::locked-bucket","arn:aws:s3:::locked-bucket/*"]}]}'
)


def test_unlock_records_the_policy_then_deletes_it(simulator: Simulator, tmp_path: Path) -> None:
    # given a bucket locked by a deny-all policy, and one without a policy
    simulator.world.create_bucket(
        "222222222222", "locked-bucket", region="us-east-1", policy=POLICY
    )
    simulator.world.create_bucket("222222222222", "open-bucket", region="us-east-1")
    path = tmp_path / "evidence.jsonl"
    # when
    with Journal(path) as journal:
        result = unlock_s3_bucket_policy(
            simulator.session(),
            account_id="222222222222",
            buckets=["locked-bucket", "open-bucket"],
            journal=journal,
        )
    # then
    assert (result.outcome, result.task) == (Outcome.DELETED, "S3UnlockBucketPolicy")
    assert [(c.kind, c.id, c.outcome, c.policy) for c in result.credentials] == [
        ("bucket_policy", "locked-bucket", Outcome.DELETED, POLICY),
        ("bucket_policy", "open-bucket", Outcome.ALREADY_ABSENT, None),
    ]
    records = [json.loads(line) for line in path.read_text().splitlines()]
    assert [(r["record"], r.get("action"), r["outcome"], r.get("policy")) for r in records] == [
        ("change", "GetBucketPolicy", "policy_recorded", POLICY),
        ("change", "DeleteBucketPolicy", "deleted", POLICY),
        ("change", "DeleteBucketPolicy", "already_absent", None),
        ("account", None, "deleted", None),
    ]
    again = unlock_s3_bucket_policy(
        simulator.session(), account_id="222222222222", buckets=["locked-bucket"]
    )
    assert again.outcome is Outcome.ALREADY_ABSENT


def test_unlock_dry_run_records_but_keeps_the_policy(simulator: Simulator) -> None:
    # given
    simulator.world.create_bucket(
        "222222222222", "locked-bucket", region="us-east-1", policy=POLICY
    )
    # when
    planned = unlock_s3_bucket_policy(
        simulator.session(), account_id="222222222222", buckets=["locked-bucket"], dry_run=True
    )
    # then
    assert [(c.outcome, c.policy) for c in planned.credentials] == [(Outcome.WOULD_DELETE, POLICY)]
    assert planned.outcome is Outcome.WOULD_DELETE
    assert not any(c.action == "DeleteBucketPolicy" for c in simulator.calls)


def test_a_missing_bucket_is_that_buckets_error(simulator: Simulator) -> None:
    # given no bucket named absent-bucket
    # when
    result = unlock_s3_bucket_policy(
        simulator.session(), account_id="222222222222", buckets=["absent-bucket"]
    )
    # then
    assert result.outcome is Outcome.ERROR
    assert result.credentials[0].detail.startswith("GetBucketPolicy failed: NoSuchBucket")


@pytest.mark.parametrize(
    ("account_id", "buckets", "message"),
    [
        (
            "2222",
            ["locked-bucket"],
            "malformed account id '2222': account ids are 12-digit strings, e.g. 222222222222",
        ),
        ("222222222222", [], "no bucket given: name at least one --bucket"),
        (
            "222222222222",
            ["Bad_Bucket"],
            "malformed bucket name 'Bad_Bucket': 3-63 lowercase letters, digits, dots and "
            "hyphens, starting and ending with a letter or digit",
        ),
    ],
)
def test_bad_input_makes_no_aws_call(
    simulator: Simulator, account_id: str, buckets: list[str], message: str
) -> None:
    # given / when
    with pytest.raises(UsageError) as raised:
        unlock_s3_bucket_policy(simulator.session(), account_id=account_id, buckets=buckets)
    # then
    assert str(raised.value) == message
    assert simulator.calls == []


def test_the_management_account_is_refused_before_any_assume_root(simulator: Simulator) -> None:
    # given / when
    with pytest.raises(UsageError) as raised:
        unlock_s3_bucket_policy(
            simulator.session(), account_id="111111111111", buckets=["locked-bucket"]
        )
    # then
    assert str(raised.value) == (
        "account 111111111111 is the management account, which centralized root access does "
        "not cover: name a member account"
    )
    assert not any(c.action == "AssumeRoot" for c in simulator.calls)


def test_an_inactive_account_is_skipped_without_assume_root(simulator: Simulator) -> None:
    # given / when
    result = unlock_s3_bucket_policy(
        simulator.session(), account_id="777777777777", buckets=["locked-bucket"]
    )
    # then
    assert (result.outcome, result.state) == (Outcome.SKIPPED_INACTIVE_ACCOUNT, "SUSPENDED")
    assert not any(c.action == "AssumeRoot" for c in simulator.calls)


def test_a_denied_assume_root_is_the_accounts_access_denied(
    simulator: Simulator, tmp_path: Path
) -> None:
    # given RootSessions turned off after preflight
    session = simulator.session()
    checked = preflight(session)
    session.client("iam").disable_organizations_root_sessions()
    path = tmp_path / "evidence.jsonl"
    # when
    with Journal(path) as journal:
        result = unlock_s3_bucket_policy(
            session,
            account_id="222222222222",
            buckets=["locked-bucket"],
            journal=journal,
            preflight_result=checked,
        )
    # then
    assert (result.outcome, result.credentials) == (Outcome.ACCESS_DENIED, ())
    assert result.detail.startswith("AssumeRoot denied: ")
    records = [json.loads(line) for line in path.read_text().splitlines()]
    assert [(r["record"], r["outcome"]) for r in records] == [("account", "access_denied")]
