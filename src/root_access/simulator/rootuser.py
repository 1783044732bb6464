"""The member root user: its credentials and the IAM calls that act on it.

In a root session (or when signed with a root access key), IAM calls made
WITHOUT ``UserName`` act on the account's root user (IAM User Guide,
id_root-user-privileged-task.html). The handlers below answer them from
``SimulatorState.root_users`` with the shapes of botocore's IAM model; ``List*``
calls paginate with ``Marker``/``MaxItems``/``IsTruncated`` like AWS.
"""

from __future__ import annotations

import secrets
import string
from collections.abc import Callable, Sequence
from datetime import datetime, timezone
from typing import Any, TypeVar

from moto.core.responses import ActionResult, BaseResponse

from root_access.simulator.aws import root_arn
from root_access.simulator.awserrors import SimulatedError
from root_access.simulator.state import (
    MAX_MFA_DEVICES,
    MfaDeviceState,
    RootKeyState,
    RootUserState,
    SigningCertificateState,
    sim_state,
)

__all__ = [
    "ROOT_USER_ACTIONS",
    "classify_mfa_serial",
    "new_access_key_id",
    "new_mfa_device",
    "new_signing_certificate",
    "root_flags",
    "root_user_state",
]

T = TypeVar("T")
Handler = Callable[[BaseResponse, str, str], Any]
_UPPER_ALNUM = string.ascii_uppercase + string.digits


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)


def new_access_key_id(prefix: str) -> str:
    """A 20-character key id: ``prefix`` (``AKIA``/``ASIA``) + 16 uppercase alphanumerics."""
    return prefix + "".join(secrets.choice(_UPPER_ALNUM) for _ in range(20 - len(prefix)))


def root_user_state(account_id: str) -> RootUserState:
    """The root user of ``account_id`` (created empty on first use)."""
    users = sim_state().root_users
    user = users.get(account_id)
    if user is None:
        user = RootUserState(account_id=account_id, create_date=_now())
        users[account_id] = user
    return user


def root_flags(account_id: str) -> dict[str, int]:
    """The four ``GetAccountSummary`` root flags (0/1) for ``account_id``."""
    user = sim_state().root_users.get(account_id)
    if user is None:
        return {
            "AccountPasswordPresent": 0,
            "AccountAccessKeysPresent": 0,
            "AccountSigningCertificatesPresent": 0,
            "AccountMFAEnabled": 0,
        }
    return {
        "AccountPasswordPresent": int(user.login_profile_create_date is not None),
        "AccountAccessKeysPresent": int(bool(user.access_keys)),
        "AccountSigningCertificatesPresent": int(bool(user.signing_certificates)),
        "AccountMFAEnabled": int(any(d.active for d in user.mfa_devices)),
    }


def classify_mfa_serial(serial_number: str) -> str:
    """``virtual`` (ARN with ``:mfa/``), ``fido`` (ARN with ``:u2f/``) or ``hardware``."""
    if serial_number.startswith("arn:") and ":mfa/" in serial_number:
        return "virtual"
    if serial_number.startswith("arn:") and ":u2f/" in serial_number:
        return "fido"
    return "hardware"


def new_mfa_device(account_id: str, partition: str, kind: str, index: int) -> MfaDeviceState:
    """An MFA device of ``kind`` with a serial number shaped like AWS's."""
    if kind == "virtual":
        serial = f"arn:{partition}:iam::{account_id}:mfa/root-account-mfa-device-{index}"
    elif kind == "fido":
        suffix = "".join(secrets.choice(_UPPER_ALNUM) for _ in range(26))
        serial = f"arn:{partition}:iam::{account_id}:u2f/root/passkey-{index}-{suffix}"
    elif kind == "hardware":
        serial = f"GAKT{secrets.randbelow(10**8):08d}"
    else:
        raise ValueError(f"MFA kind must be one of virtual, fido, hardware: {kind!r}")
    return MfaDeviceState(serial_number=serial, kind=kind, enable_date=_now())


def new_signing_certificate() -> SigningCertificateState:
    """A signing certificate with a 24-character id and a placeholder PEM body."""
    certificate_id = "".join(secrets.choice(_UPPER_ALNUM) for _ in range(24))
    body = "-----BEGIN CERTIFICATE-----\nU0lNVUxBVE9S\n-----END CERTIFICATE-----\n"
    return SigningCertificateState(
        certificate_id=certificate_id, status="Active", upload_date=_now(), body=body
    )


def _page(resp: BaseResponse, items: Sequence[T]) -> tuple[list[T], dict[str, Any]]:
    """Slice ``items`` by ``Marker``/``MaxItems`` (default 100) like IAM's List calls."""
    marker = resp._get_param("Marker")
    max_items = int(resp._get_param("MaxItems") or 100)
    start = 0
    if marker:
        if not str(marker).isdigit():
            raise SimulatedError("iam", "ValidationError", "Invalid Marker.", 400)
        start = int(marker)
    page = list(items[start : start + max_items])
    extra: dict[str, Any] = {"IsTruncated": start + max_items < len(items)}
    if extra["IsTruncated"]:
        extra["Marker"] = str(start + max_items)
    return page, extra


def _no_such_entity(message: str) -> SimulatedError:
    return SimulatedError("iam", "NoSuchEntity", message, 404)


def _get_login_profile(resp: BaseResponse, account_id: str, partition: str) -> Any:
    user = root_user_state(account_id)
    if user.login_profile_create_date is None:
        raise _no_such_entity("Login Profile for User root cannot be found.")
    return {
        "LoginProfile": {
            "CreateDate": user.login_profile_create_date,
            "PasswordResetRequired": False,
        }
    }


def _create_login_profile(resp: BaseResponse, account_id: str, partition: str) -> Any:
    user = root_user_state(account_id)
    if user.login_profile_create_date is not None:
        raise SimulatedError(
            "iam", "EntityAlreadyExists", "Login Profile for user root already exists.", 409
        )
    user.login_profile_create_date = _now()
    return {
        "LoginProfile": {
            "CreateDate": user.login_profile_create_date,
            "PasswordResetRequired": False,
        }
    }


def _delete_login_profile(resp: BaseResponse, account_id: str, partition: str) -> Any:
    user = root_user_state(account_id)
    if user.login_profile_create_date is None:
        raise _no_such_entity("Login Profile for User root cannot be found.")
    user.login_profile_create_date = None
    return {}


def _list_access_keys(resp: BaseResponse, account_id: str, partition: str) -> Any:
    page, extra = _page(resp, root_user_state(account_id).access_keys)
    metadata = [
        {"AccessKeyId": k.access_key_id, "Status": k.status, "CreateDate": k.create_date}
        for k in page
    ]
    return {"AccessKeyMetadata": metadata, **extra}


def _find_key(account_id: str, access_key_id: str | None) -> RootKeyState:
    for key in root_user_state(account_id).access_keys:
        if key.access_key_id == access_key_id:
            return key
    raise _no_such_entity(f"The Access Key with id {access_key_id} cannot be found.")


def _delete_access_key(resp: BaseResponse, account_id: str, partition: str) -> Any:
    key = _find_key(account_id, resp._get_param("AccessKeyId"))
    root_user_state(account_id).access_keys.remove(key)
    state = sim_state()
    state.root_keys.pop(key.access_key_id, None)
    state.key_accounts.pop(key.access_key_id, None)
    return {}


def _get_access_key_last_used(resp: BaseResponse, account_id: str, partition: str) -> Any:
    key = _find_key(account_id, resp._get_param("AccessKeyId"))
    last_used: dict[str, Any] = {
        "ServiceName": key.last_used_service or "N/A",
        "Region": key.last_used_region or "N/A",
    }
    if key.last_used_date is not None:
        last_used["LastUsedDate"] = key.last_used_date
    return {"AccessKeyLastUsed": last_used}


def _list_signing_certificates(resp: BaseResponse, account_id: str, partition: str) -> Any:
    page, extra = _page(resp, root_user_state(account_id).signing_certificates)
    certificates = [
        {
            "CertificateId": c.certificate_id,
            "CertificateBody": c.body,
            "Status": c.status,
            "UploadDate": c.upload_date,
        }
        for c in page
    ]
    return {"Certificates": certificates, **extra}


def _delete_signing_certificate(resp: BaseResponse, account_id: str, partition: str) -> Any:
    certificate_id = resp._get_param("CertificateId")
    user = root_user_state(account_id)
    for certificate in user.signing_certificates:
        if certificate.certificate_id == certificate_id:
            user.signing_certificates.remove(certificate)
            return {}
    raise _no_such_entity(f"The Certificate with id {certificate_id} cannot be found.")


def _list_mfa_devices(resp: BaseResponse, account_id: str, partition: str) -> Any:
    active = [d for d in root_user_state(account_id).mfa_devices if d.active]
    page, extra = _page(resp, active)
    devices = [{"SerialNumber": d.serial_number, "EnableDate": d.enable_date} for d in page]
    return {"MFADevices": devices, **extra}


def _find_mfa(account_id: str, serial_number: str | None) -> MfaDeviceState:
    for device in root_user_state(account_id).mfa_devices:
        if device.serial_number == serial_number:
            return device
    raise _no_such_entity(f"MFA Device with serial number {serial_number} does not exist.")


def _deactivate_mfa_device(resp: BaseResponse, account_id: str, partition: str) -> Any:
    device = _find_mfa(account_id, resp._get_param("SerialNumber"))
    if not device.active:
        raise _no_such_entity(
            f"MFA Device with serial number {device.serial_number} is not active."
        )
    if device.kind == "virtual":
        device.active = False
    else:
        root_user_state(account_id).mfa_devices.remove(device)
    return {}


def _delete_virtual_mfa_device(resp: BaseResponse, account_id: str, partition: str) -> Any:
    device = _find_mfa(account_id, resp._get_param("SerialNumber"))
    if device.kind != "virtual":
        raise _no_such_entity(f"VirtualMFADevice with serial {device.serial_number} not found.")
    if device.active:
        raise SimulatedError(
            "iam", "DeleteConflict", "MFA VirtualDevice in use. Must deactivate first.", 409
        )
    root_user_state(account_id).mfa_devices.remove(device)
    return {}


def _get_user(resp: BaseResponse, account_id: str, partition: str) -> Any:
    user = root_user_state(account_id)
    result: dict[str, Any] = {
        "UserId": account_id,
        "Arn": root_arn(partition, account_id),
        "CreateDate": user.create_date,
    }
    if user.password_last_used is not None:
        result["PasswordLastUsed"] = user.password_last_used
    return {"User": result}


ROOT_USER_ACTIONS: dict[str, Handler] = {
    "GetLoginProfile": _get_login_profile,
    "CreateLoginProfile": _create_login_profile,
    "DeleteLoginProfile": _delete_login_profile,
    "ListAccessKeys": _list_access_keys,
    "DeleteAccessKey": _delete_access_key,
    "GetAccessKeyLastUsed": _get_access_key_last_used,
    "ListSigningCertificates": _list_signing_certificates,
    "DeleteSigningCertificate": _delete_signing_certificate,
    "ListMFADevices": _list_mfa_devices,
    "DeactivateMFADevice": _deactivate_mfa_device,
    "DeleteVirtualMFADevice": _delete_virtual_mfa_device,
    "GetUser": _get_user,
}
"""IAM actions that act on the root user when called without ``UserName`` by a root principal.

Each handler takes ``(response, account_id, partition)`` and returns the result
dict (serialized by moto from botocore's model) or raises ``SimulatedError``.
"""


def handle_root_user_action(
    resp: BaseResponse, action: str, account_id: str, partition: str
) -> ActionResult:
    """Run ``ROOT_USER_ACTIONS[action]`` and wrap its result for moto's serializer."""
    return ActionResult(ROOT_USER_ACTIONS[action](resp, account_id, partition))


def check_mfa_limit(devices: Sequence[str]) -> None:
    """``ValueError`` when more than ``MAX_MFA_DEVICES`` devices are requested."""
    if len(devices) > MAX_MFA_DEVICES:
        raise ValueError(f"a root user has at most {MAX_MFA_DEVICES} MFA devices")
