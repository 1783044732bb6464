"""AWS error shapes of simulator errors, through moto's real HTTP server."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator

import boto3
import pytest
import requests
from botocore.exceptions import ClientError
from moto.server import ThreadedMotoServer

from root_access.simulator.awserrors import SimulatedError, access_denied
from root_access.simulator.install import install
from root_access.simulator.world import World
from root_access.tasks import FEATURES, RootTask

from .conftest import MANAGEMENT, MEMBER, REGION


@pytest.fixture
def server_url() -> Iterator[str]:
    """moto's threaded server on a free 127.0.0.1 port, simulator installed, state reset."""
    install()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    url = f"http://{host}:{port}"
    requests.post(f"{url}/moto-api/reset", timeout=10)
    try:
        yield url
    finally:
        server.stop()


def _error(call: Callable[[], object]) -> tuple[str, int, str]:
    with pytest.raises(ClientError) as caught:
        call()
    response = caught.value.response
    return (
        response["Error"]["Code"],
        response["ResponseMetadata"]["HTTPStatusCode"],
        response["Error"]["Message"],
    )


@pytest.mark.server
def test_denials_in_each_protocol_through_the_server(server_url: str) -> None:
    # given an organization served over HTTP and an audit root session
    world = World()
    world.create_organization(management_account_id=MANAGEMENT)
    world.create_account(management_account_id=MANAGEMENT, account_id=MEMBER, name="member")
    world.enable_trusted_access(management_account_id=MANAGEMENT)
    world.enable_features(management_account_id=MANAGEMENT, features=FEATURES)
    key, secret = world.create_pipeline_principal(account_id=MANAGEMENT)
    pipeline = boto3.Session(
        aws_access_key_id=key, aws_secret_access_key=secret, region_name=REGION
    )
    credentials = pipeline.client("sts", endpoint_url=server_url).assume_root(
        TargetPrincipal=MEMBER, TaskPolicyArn={"arn": RootTask.AUDIT.policy_arn("aws")}
    )["Credentials"]
    session = boto3.Session(
        aws_access_key_id=credentials["AccessKeyId"],
        aws_secret_access_key=credentials["SecretAccessKey"],
        aws_session_token=credentials["SessionToken"],
        region_name=REGION,
    )
    # when the session calls IAM (query), S3 (rest-xml) and SQS (json) beyond its task
    iam = _error(session.client("iam", endpoint_url=server_url).delete_login_profile)
    s3 = _error(session.client("s3", endpoint_url=server_url).list_buckets)
    sqs = _error(session.client("sqs", endpoint_url=server_url).list_queues)
    # then each protocol carries AccessDenied, 403 and AWS's wording
    assert [(code, status) for code, status, _ in (iam, s3, sqs)] == [("AccessDenied", 403)] * 3
    assert [message.split(" on resource: ")[0] for _, _, message in (iam, s3, sqs)] == [
        f"User: arn:aws:iam::{MEMBER}:root is not authorized to perform: {action}"
        for action in ("iam:DeleteLoginProfile", "s3:ListAllMyBuckets", "sqs:ListQueues")
    ]


@pytest.mark.parametrize(
    ("service", "content_type", "fragment"),
    [
        ("iam", "text/xml", "<Code>AccessDenied</Code>"),
        ("s3", "text/xml", "<Error><Code>AccessDenied</Code>"),
        ("sqs", "application/x-amz-json-1.0", '"__type": "AccessDenied"'),
    ],
)
def test_access_denied_bodies(service: str, content_type: str, fragment: str) -> None:
    # given an AccessDenied for a service
    error = access_denied(
        service,
        principal_arn="arn:aws:iam::222222222222:root",
        action="x:Y",
        resource="*",
        reason="with an explicit deny in a service control policy",
    )
    # when it is rendered
    status, headers, body = error.as_response()
    # then status, content type and body match the service's protocol
    assert status == 403
    assert headers["Content-Type"] == content_type
    assert fragment in body


def test_sqs_errors_carry_the_query_compatible_code() -> None:
    # given an SQS error (SQS's JSON model is awsQueryCompatible)
    error = SimulatedError(
        "sqs", "ExpiredToken", "The security token included in the request is expired"
    )
    # when it is rendered
    _, headers, body = error.as_response()
    # then botocore can read the code from the header and the body
    assert headers["x-amzn-query-error"] == "ExpiredToken;Sender"
    assert json.loads(body) == {
        "__type": "ExpiredToken",
        "message": "The security token included in the request is expired",
    }
