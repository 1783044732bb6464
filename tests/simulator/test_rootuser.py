"""The member root user in root sessions: IAM calls without UserName (reference §4)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone

import boto3
import pytest
from botocore.exceptions import ClientError

from root_access.simulator.rootuser import classify_mfa_serial
from root_access.simulator.world import AccessKeySpec
from root_access.tasks import RootTask

from .conftest import MEMBER, Org

AssumeRoot = Callable[..., boto3.Session]


def _code(call: Callable[[], object]) -> tuple[str, int]:
    with pytest.raises(ClientError) as caught:
        call()
    response = caught.value.response
    return response["Error"]["Code"], response["ResponseMetadata"]["HTTPStatusCode"]


def test_get_login_profile_absent_is_no_such_entity(org: Org, assume_root: AssumeRoot) -> None:
    # given a root user without password
    org.world.set_root_credentials(MEMBER)
    iam = assume_root(org.management, MEMBER, RootTask.AUDIT).client("iam")
    # when the audit session reads the login profile
    code = _code(iam.get_login_profile)
    # then NoSuchEntity 404 means "no password"
    assert code == ("NoSuchEntity", 404)


def test_create_login_profile_when_present_is_entity_already_exists(
    org: Org, assume_root: AssumeRoot
) -> None:
    # given a root user with a password
    iam = assume_root(org.management, MEMBER, RootTask.CREATE_PASSWORD).client("iam")
    # when password recovery creates a login profile without arguments
    code = _code(iam.create_login_profile)
    # then EntityAlreadyExists 409
    assert code == ("EntityAlreadyExists", 409)


def test_create_login_profile_without_password_enables_recovery(
    org: Org, assume_root: AssumeRoot
) -> None:
    # given a root user without credentials
    org.world.set_root_credentials(MEMBER)
    iam = assume_root(org.management, MEMBER, RootTask.CREATE_PASSWORD).client("iam")
    # when password recovery runs
    profile = iam.create_login_profile()["LoginProfile"]
    # then a login profile exists
    assert profile["PasswordResetRequired"] is False
    assert iam.get_login_profile()["LoginProfile"]["CreateDate"] == profile["CreateDate"]
    assert org.world.root_user(MEMBER).password is True


def test_delete_of_missing_items_is_no_such_entity(org: Org, assume_root: AssumeRoot) -> None:
    # given a root user without credentials
    org.world.set_root_credentials(MEMBER)
    iam = assume_root(org.management, MEMBER, RootTask.DELETE_CREDENTIALS).client("iam")
    # when the delete session deletes things that are not there
    codes = [
        _code(iam.delete_login_profile),
        _code(lambda: iam.delete_access_key(AccessKeyId="AKIAAAAAAAAAAAAAAAAA")),
        _code(lambda: iam.delete_signing_certificate(CertificateId="A" * 24)),
        _code(lambda: iam.deactivate_mfa_device(SerialNumber="GAKT00000000")),
    ]
    # then each is NoSuchEntity 404 (the engine counts it as already absent)
    assert codes == [("NoSuchEntity", 404)] * 4


def test_list_calls_paginate_with_marker(org: Org, assume_root: AssumeRoot) -> None:
    # given 8 MFA devices of mixed kinds
    org.world.set_root_credentials(
        MEMBER, mfa_devices=["virtual", "fido", "hardware"] * 2 + ["fido", "hardware"]
    )
    iam = assume_root(org.management, MEMBER, RootTask.AUDIT).client("iam")
    # when listing with MaxItems=3 by hand
    first = iam.list_mfa_devices(MaxItems=3)
    second = iam.list_mfa_devices(MaxItems=3, Marker=first["Marker"])
    third = iam.list_mfa_devices(MaxItems=3, Marker=second["Marker"])
    # then pages carry IsTruncated/Marker like AWS
    assert (first["IsTruncated"], len(first["MFADevices"])) == (True, 3)
    assert (second["IsTruncated"], len(second["MFADevices"])) == (True, 3)
    assert (third["IsTruncated"], len(third["MFADevices"])) == (False, 2)
    assert "Marker" not in third
    # and boto3's paginator sees every device once
    paginated = [
        d["SerialNumber"]
        for page in iam.get_paginator("list_mfa_devices").paginate(PaginationConfig={"PageSize": 2})
        for d in page["MFADevices"]
    ]
    assert sorted(paginated) == sorted(
        d.serial_number for d in org.world.root_user(MEMBER).mfa_devices
    )


def test_more_than_eight_mfa_devices_is_refused(org: Org) -> None:
    # given 9 devices
    # when the world sets them
    with pytest.raises(ValueError, match="at most 8"):
        org.world.set_root_credentials(MEMBER, mfa_devices=["virtual"] * 9)
    # then (nothing else to check: the call raised)


def test_mfa_serials_by_kind(org: Org, assume_root: AssumeRoot) -> None:
    # given one device of each kind
    org.world.set_root_credentials(MEMBER, mfa_devices=["virtual", "fido", "hardware"])
    iam = assume_root(org.management, MEMBER, RootTask.AUDIT).client("iam")
    # when listed
    serials = [d["SerialNumber"] for d in iam.list_mfa_devices()["MFADevices"]]
    # then the serials classify as AWS shapes them
    assert [classify_mfa_serial(s) for s in serials] == ["virtual", "fido", "hardware"]
    assert serials[0].startswith(f"arn:aws:iam::{MEMBER}:mfa/")
    assert serials[1].startswith(f"arn:aws:iam::{MEMBER}:u2f/root/")
    assert serials[2].startswith("GAKT")
    assert len(serials[2]) == 12


def test_deactivate_keeps_virtual_device_until_deleted(org: Org, assume_root: AssumeRoot) -> None:
    # given one virtual and one hardware device
    org.world.set_root_credentials(MEMBER, mfa_devices=["virtual", "hardware"])
    iam = assume_root(org.management, MEMBER, RootTask.DELETE_CREDENTIALS).client("iam")
    # when both are deactivated
    for device in iam.list_mfa_devices()["MFADevices"]:
        iam.deactivate_mfa_device(SerialNumber=device["SerialNumber"])
    # then none is listed, and the virtual device remains, inactive
    assert iam.list_mfa_devices()["MFADevices"] == []
    remaining = org.world.root_user(MEMBER).mfa_devices
    assert [(d.kind, d.active) for d in remaining] == [("virtual", False)]
    assert org.world.root_user(MEMBER).has_credentials is False


def test_delete_virtual_mfa_device_is_denied_by_the_current_policy(
    org: Org, assume_root: AssumeRoot
) -> None:
    # given a deactivated virtual device
    org.world.set_root_credentials(MEMBER, mfa_devices=["virtual"])
    iam = assume_root(org.management, MEMBER, RootTask.DELETE_CREDENTIALS).client("iam")
    serial = iam.list_mfa_devices()["MFADevices"][0]["SerialNumber"]
    iam.deactivate_mfa_device(SerialNumber=serial)
    # when the delete session deletes it
    code = _code(lambda: iam.delete_virtual_mfa_device(SerialNumber=serial))
    # then the task policy denies it
    assert code == ("AccessDenied", 403)


def test_access_key_last_used(org: Org, assume_root: AssumeRoot) -> None:
    # given one used and one never-used root key
    used = datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
    org.world.set_root_credentials(
        MEMBER,
        access_keys=[
            AccessKeySpec(
                last_used_date=used, last_used_service="s3", last_used_region="eu-west-1"
            ),
            AccessKeySpec(status="Inactive"),
        ],
    )
    keys = org.world.root_user(MEMBER).access_keys
    iam = assume_root(org.management, MEMBER, RootTask.AUDIT).client("iam")
    # when the audit session asks when each was last used
    first = iam.get_access_key_last_used(AccessKeyId=keys[0].access_key_id)["AccessKeyLastUsed"]
    second = iam.get_access_key_last_used(AccessKeyId=keys[1].access_key_id)["AccessKeyLastUsed"]
    # then
    assert (first["LastUsedDate"], first["ServiceName"], first["Region"]) == (
        used,
        "s3",
        "eu-west-1",
    )
    assert second == {"ServiceName": "N/A", "Region": "N/A"}


def test_get_user_is_the_root_user(org: Org, assume_root: AssumeRoot) -> None:
    # given the audit session
    iam = assume_root(org.management, MEMBER, RootTask.AUDIT).client("iam")
    # when it gets the user without UserName
    user = iam.get_user()["User"]
    # then it is the root user
    assert (user["UserId"], user["Arn"]) == (MEMBER, f"arn:aws:iam::{MEMBER}:root")


def test_account_summary_flags(org: Org, assume_root: AssumeRoot) -> None:
    # given only an inactive access key
    org.world.set_root_credentials(MEMBER, access_keys=[AccessKeySpec(status="Inactive")])
    iam = assume_root(org.management, MEMBER, RootTask.AUDIT).client("iam")
    # when the audit session reads the account summary
    summary = iam.get_account_summary()["SummaryMap"]
    # then the key counts (inactive keys included), nothing else
    assert [
        summary["AccountPasswordPresent"],
        summary["AccountAccessKeysPresent"],
        summary["AccountSigningCertificatesPresent"],
        summary["AccountMFAEnabled"],
    ] == [0, 1, 0, 0]


def test_signing_certificates_listed_and_deleted(org: Org, assume_root: AssumeRoot) -> None:
    # given two signing certificates
    delete = assume_root(org.management, MEMBER, RootTask.DELETE_CREDENTIALS).client("iam")
    certificates = delete.list_signing_certificates()["Certificates"]
    # when the first is deleted
    delete.delete_signing_certificate(CertificateId=certificates[0]["CertificateId"])
    # then one remains
    remaining = delete.list_signing_certificates()["Certificates"]
    assert [c["CertificateId"] for c in remaining] == [certificates[1]["CertificateId"]]
    assert remaining[0]["Status"] == "Active"


def test_deleted_root_key_no_longer_maps_to_the_account(org: Org, assume_root: AssumeRoot) -> None:
    # given the member's root keys
    keys = [k.access_key_id for k in org.world.root_user(MEMBER).access_keys]
    delete = assume_root(org.management, MEMBER, RootTask.DELETE_CREDENTIALS).client("iam")
    # when they are deleted
    for key in keys:
        delete.delete_access_key(AccessKeyId=key)
    # then the index forgets them
    assert [org.world.account_for_access_key(key) for key in keys] == [None, None]


def test_using_a_root_key_records_its_last_use(org: Org, assume_root: AssumeRoot) -> None:
    # given a never-used root access key
    org.world.set_root_credentials(MEMBER, access_keys=[AccessKeySpec()])
    key_id = org.world.root_user(MEMBER).access_keys[0].access_key_id
    root = boto3.Session(
        aws_access_key_id=key_id, aws_secret_access_key="x" * 40, region_name="eu-central-1"
    )
    # when the key signs an S3 request
    root.client("s3").list_buckets()
    # then the audit sees when, where and for which service it was used
    iam = assume_root(org.management, MEMBER, RootTask.AUDIT).client("iam")
    last_used = iam.get_access_key_last_used(AccessKeyId=key_id)["AccessKeyLastUsed"]
    assert (last_used["ServiceName"], last_used["Region"]) == ("s3", "eu-central-1")
    assert "LastUsedDate" in last_used
