"""Approach (c): a minimal hand-written concurrent boto3 loop, the floor for the engine.

``python -m benchmarks.handwritten {audit,delete} --max-workers N`` with the AWS
environment of the caller (the simulator server's ``env``). It makes exactly the calls
the engine makes per account, with the same worker count and the same botocore retry
settings (standard mode, 10 total attempts), and nothing else: no preflight, no
validation, no journal, no result objects. Per account it builds the root session's IAM
client from one shared ``boto3.Session`` (under a lock: sessions are not thread-safe).

- audit (``--detail summary``, the engine's default): ``ListAccounts`` (paginated), then
  per ACTIVE member ``sts:AssumeRoot`` (``IAMAuditRootUserCredentials``),
  ``GetAccountSummary``, and the detail reads of the kinds whose root flag is set (or
  missing): ``GetLoginProfile`` (+ ``GetUser`` when there is a password),
  ``ListAccessKeys`` (+ ``GetAccessKeyLastUsed`` per key), ``ListSigningCertificates``,
  ``ListMFADevices``. ``--detail full`` reads every kind after the summary.
- delete: per ACTIVE member ``AssumeRoot`` (``IAMDeleteRootUserCredentials``), every
  detail read without the summary (the delete task policy does not allow it), a delete
  per credential (``DeleteLoginProfile``, ``DeleteAccessKey``,
  ``DeleteSigningCertificate``, ``DeactivateMFADevice`` + ``DeleteVirtualMFADevice`` for
  virtual devices, tolerating AccessDenied as the engine does), then the audit above in
  a fresh audit session to verify.

Prints one JSON object on stdout: ``{"completed": n, "failed": n, "errors": {code: n}}``.
Credentials stay in memory; nothing secret is printed.
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
from collections import Counter
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

from root_access.rules import MAX_WORKERS

__all__ = ["main", "run"]

_TASK = "arn:{partition}:iam::aws:policy/root-task/{name}"


def _members(organizations: Any, management_account_id: str) -> Iterator[str]:
    for page in organizations.get_paginator("list_accounts").paginate():
        for account in page["Accounts"]:
            if account["Status"] == "ACTIVE" and account["Id"] != management_account_id:
                yield account["Id"]


def _iam(caller: Factory, sts: Any, account_id: str, task_arn: str) -> Any:
    credentials = sts.assume_root(TargetPrincipal=account_id, TaskPolicyArn={"arn": task_arn})[
        "Credentials"
    ]
    return caller.client(
        "iam",
        aws_access_key_id=credentials["AccessKeyId"],
        aws_secret_access_key=credentials["SecretAccessKey"],
        aws_session_token=credentials["SessionToken"],
    )


class Factory:
    """One ``boto3.Session`` for every thread: clients are thread-safe, building them from
    a shared session is not, so building is serialized (the model caches are shared)."""

    def __init__(self, config: Config) -> None:
        self.session = boto3.Session()
        self.config = config
        self.lock = threading.Lock()

    def client(self, service: str, **credentials: str) -> Any:
        with self.lock:
            return self.session.client(service, config=self.config, **credentials)


_FLAGS = {
    "password": "AccountPasswordPresent",
    "keys": "AccountAccessKeysPresent",
    "certificates": "AccountSigningCertificatesPresent",
    "mfa": "AccountMFAEnabled",
}


def _read(iam: Any, *, summary: bool, detail: str = "summary") -> dict[str, list[str]]:
    """The root user's credentials by kind (ids only). With ``summary``, ``GetAccountSummary``
    first; with ``detail="summary"`` only the kinds whose flag is not 0 are read."""
    read = set(_FLAGS)
    if summary:
        flags = iam.get_account_summary()["SummaryMap"]
        if detail == "summary":
            read = {kind for kind, key in _FLAGS.items() if flags.get(key, 1) != 0}
    found: dict[str, list[str]] = {kind: [] for kind in _FLAGS}
    if "password" in read:
        try:
            iam.get_login_profile()
            found["password"].append("login_profile")
            iam.get_user()
        except ClientError as error:
            if error.response["Error"]["Code"] != "NoSuchEntity":
                raise
    if "keys" in read:
        for page in iam.get_paginator("list_access_keys").paginate():
            for key in page["AccessKeyMetadata"]:
                iam.get_access_key_last_used(AccessKeyId=key["AccessKeyId"])
                found["keys"].append(key["AccessKeyId"])
    if "certificates" in read:
        for page in iam.get_paginator("list_signing_certificates").paginate():
            found["certificates"].extend(c["CertificateId"] for c in page["Certificates"])
    if "mfa" in read:
        for page in iam.get_paginator("list_mfa_devices").paginate():
            found["mfa"].extend(d["SerialNumber"] for d in page["MFADevices"])
    return found


def run(
    task: str, *, max_workers: int, retry_mode: str = "standard", detail: str = "summary"
) -> dict[str, Any]:
    """Audit or delete every ACTIVE member account; returns the JSON summary printed.

    ``retry_mode`` is botocore's (``standard`` as the engine, or ``adaptive``: the
    client-side rate limiter, compared under throttling); ``detail`` is the engine's
    (``summary`` or ``full``)."""
    config = Config(
        retries={"mode": retry_mode, "total_max_attempts": 10},
        max_pool_connections=max(max_workers, 10),
    )
    caller = Factory(config)
    organizations = caller.client("organizations")
    sts = caller.client("sts")
    partition = sts.get_caller_identity()["Arn"].split(":")[1]
    management = organizations.describe_organization()["Organization"]["MasterAccountId"]
    audit_arn = _TASK.format(partition=partition, name="IAMAuditRootUserCredentials")
    delete_arn = _TASK.format(partition=partition, name="IAMDeleteRootUserCredentials")

    def audit(account_id: str) -> None:
        _read(_iam(caller, sts, account_id, audit_arn), summary=True, detail=detail)

    def delete(account_id: str) -> None:
        iam = _iam(caller, sts, account_id, delete_arn)
        found = _read(iam, summary=False)
        if found["password"]:
            iam.delete_login_profile()
        for key_id in found["keys"]:
            iam.delete_access_key(AccessKeyId=key_id)
        for certificate_id in found["certificates"]:
            iam.delete_signing_certificate(CertificateId=certificate_id)
        for serial in found["mfa"]:
            iam.deactivate_mfa_device(SerialNumber=serial)
            if serial.startswith("arn:") and ":mfa/" in serial:
                try:
                    iam.delete_virtual_mfa_device(SerialNumber=serial)
                except ClientError as error:  # the delete task policy may not allow it
                    if error.response["Error"]["Code"] != "AccessDenied":
                        raise
        audit(account_id)

    work = audit if task == "audit" else delete
    errors: Counter[str] = Counter()
    completed = 0

    def one(account_id: str) -> str | None:
        try:
            work(account_id)
        except ClientError as error:
            return str(error.response["Error"]["Code"])
        return None

    with ThreadPoolExecutor(max_workers=max_workers) as pool:
        for error_code in pool.map(one, _members(organizations, management)):
            if error_code is None:
                completed += 1
            else:
                errors[error_code] += 1
    return {"completed": completed, "failed": sum(errors.values()), "errors": dict(errors)}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the loop and print its JSON summary; exit 0 (failures are in the summary)."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.handwritten")
    parser.add_argument("task", choices=("audit", "delete"))
    parser.add_argument("--max-workers", type=int, default=MAX_WORKERS.default)
    parser.add_argument("--retry-mode", choices=("standard", "adaptive"), default="standard")
    parser.add_argument("--detail", choices=("summary", "full"), default="summary")
    arguments = parser.parse_args(argv)
    summary = run(
        arguments.task,
        max_workers=arguments.max_workers,
        retry_mode=arguments.retry_mode,
        detail=arguments.detail,
    )
    print(json.dumps(summary), file=sys.stdout)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
