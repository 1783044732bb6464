"""Clients: retries on every client, resolved region, regional STS endpoint."""

from __future__ import annotations

import boto3
import pytest

from root_access import UsageError
from root_access.clients import (
    client_config,
    organizations_client,
    resolve_region,
    sts_client,
    sts_endpoint_url,
)


@pytest.fixture
def no_endpoint_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    monkeypatch.delenv("AWS_ENDPOINT_URL_STS", raising=False)


def offline_session(region: str | None) -> boto3.Session:
    return boto3.Session(
        aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="not-a-secret", region_name=region
    )


@pytest.mark.usefixtures("no_endpoint_env")
@pytest.mark.parametrize(
    ("region", "endpoint"),
    [
        ("eu-west-1", "https://sts.eu-west-1.amazonaws.com"),
        ("us-east-1", "https://sts.us-east-1.amazonaws.com"),
        ("cn-north-1", "https://sts.cn-north-1.amazonaws.com.cn"),
        ("us-gov-west-1", "https://sts.us-gov-west-1.amazonaws.com"),
    ],
)
def test_sts_global_endpoint_is_never_used(region: str, endpoint: str) -> None:
    # given a region whose legacy STS endpoint was the global one (us-east-1, eu-west-1)
    # when
    client = sts_client(offline_session(region), region)
    # then
    assert sts_endpoint_url(region) == endpoint
    assert client.meta.endpoint_url == endpoint


def test_sts_endpoint_honours_aws_endpoint_url(monkeypatch: pytest.MonkeyPatch) -> None:
    # given the simulator server's environment
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:5999")
    monkeypatch.delenv("AWS_ENDPOINT_URL_STS", raising=False)
    # when
    client = sts_client(offline_session("eu-west-1"), "eu-west-1")
    # then
    assert sts_endpoint_url("eu-west-1") is None
    assert client.meta.endpoint_url == "http://127.0.0.1:5999"


def test_every_client_retries_in_standard_mode() -> None:
    # given
    session = offline_session("eu-west-1")
    # when
    clients = [sts_client(session, "eu-west-1"), organizations_client(session, "eu-west-1")]
    # then
    assert [c.meta.config.retries for c in clients] == [
        {"total_max_attempts": 10, "mode": "standard"},
        {"total_max_attempts": 10, "mode": "standard"},
    ]


def test_adaptive_mode_and_pool_size_are_configurable() -> None:
    # given / when
    config = client_config(max_attempts=5, mode="adaptive", pool=64)
    # then
    assert config.retries == {"total_max_attempts": 5, "mode": "adaptive"}
    assert config.max_pool_connections == 64


def test_explicit_region_wins() -> None:
    # given / when / then
    assert resolve_region(offline_session("eu-west-1"), "ap-southeast-2") == "ap-southeast-2"


def test_missing_region_is_a_usage_error(monkeypatch: pytest.MonkeyPatch) -> None:
    # given no region anywhere
    monkeypatch.delenv("AWS_REGION", raising=False)
    monkeypatch.delenv("AWS_DEFAULT_REGION", raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent")
    # when / then
    with pytest.raises(UsageError) as raised:
        resolve_region(offline_session(None))
    assert str(raised.value) == (
        "no AWS region: pass --region or set AWS_REGION (STS must use a regional endpoint)"
    )


def test_aws_global_region_is_refused() -> None:
    # given / when / then
    with pytest.raises(UsageError) as raised:
        resolve_region(offline_session(None), "aws-global")
    assert str(raised.value).startswith("region aws-global uses the global STS endpoint")
