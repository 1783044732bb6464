"""The compliance view of a root user: Security Hub, AWS Config and CIS controls.

Source: Security Hub User Guide ``iam-controls.html`` (IAM.4, IAM.6, IAM.9; all
Critical and periodic), AWS Config ``iam-root-access-key-check``,
``root-account-mfa-enabled``, ``root-account-hardware-mfa-enabled`` (both MFA rules
are ``NOT_APPLICABLE`` without root credentials), reference §6.
"""

from __future__ import annotations

from dataclasses import dataclass

from root_access.results import ComplianceResult

__all__ = [
    "COMPLIANCE_LAG_NOTE",
    "CONTROLS",
    "FAILED",
    "NOT_APPLICABLE",
    "PASSED",
    "Control",
    "evaluate",
]

PASSED = "passed"
FAILED = "failed"
NOT_APPLICABLE = "not_applicable"

COMPLIANCE_LAG_NOTE = (
    "no root credentials remain: Security Hub and AWS Config update this control at the "
    "next periodic evaluation (Security Hub within 12 h, Config every 24 h by default); "
    "a FAILED finding until then is pending, not failed; never add MFA to fix it"
)
"""Field case COMPLIANCE-LAG: what to tell the user after a deletion."""


@dataclass(frozen=True)
class Control:
    """One control: Security Hub id, title, Config rule and CIS ids per version."""

    control: str
    title: str
    config_rule: str
    cis: tuple[tuple[str, str], ...]


CONTROLS = (
    Control(
        "IAM.4",
        "IAM root user access key should not exist",
        "iam-root-access-key-check",
        (("1.2", "1.12"), ("1.4", "1.4"), ("3.0", "1.4"), ("5.0", "1.3")),
    ),
    Control(
        "IAM.9",
        "MFA should be enabled for the root user",
        "root-account-mfa-enabled",
        (("1.2", "1.13"), ("1.4", "1.5"), ("3.0", "1.5"), ("5.0", "1.4")),
    ),
    Control(
        "IAM.6",
        "Hardware MFA should be enabled for the root user",
        "root-account-hardware-mfa-enabled",
        (("1.2", "1.14"), ("1.4", "1.6"), ("3.0", "1.6"), ("5.0", "1.5")),
    ),
)
"""Reference §6, in the order reports show them."""


def evaluate(
    *,
    password: bool,
    access_keys: int,
    signing_certificates: int,
    mfa_kinds: tuple[str, ...],
    after_delete: bool = False,
) -> tuple[ComplianceResult, ...]:
    """Evaluate IAM.4 / IAM.9 / IAM.6 from a live audit of one root user.

    - ``password``: a login profile exists; ``access_keys`` and ``signing_certificates``:
      counts (active and inactive); ``mfa_kinds``: ``virtual`` | ``fido`` | ``hardware``
      per assigned device.
    - IAM.4 passes with no access key. With no root credentials at all, IAM.9 and IAM.6
      are ``not_applicable`` (and, ``after_delete``, carry :data:`COMPLIANCE_LAG_NOTE`);
      otherwise IAM.9 passes with any MFA device and IAM.6 with MFA and no virtual device.
    """
    credentials = password or access_keys > 0 or signing_certificates > 0
    results = []
    for control in CONTROLS:
        note = ""
        if control.control == "IAM.4":
            status = PASSED if access_keys == 0 else FAILED
            if access_keys:
                note = f"{access_keys} root access key(s) exist"
        elif not credentials:
            status = NOT_APPLICABLE
            note = COMPLIANCE_LAG_NOTE if after_delete else "the root user has no credentials"
        elif control.control == "IAM.9":
            status = PASSED if mfa_kinds else FAILED
            if not mfa_kinds:
                note = "the root user has credentials and no MFA device"
        else:
            hardware = bool(mfa_kinds) and "virtual" not in mfa_kinds
            status = PASSED if hardware else FAILED
            if not hardware:
                note = (
                    "the root user uses a virtual MFA device"
                    if "virtual" in mfa_kinds
                    else "the root user has credentials and no MFA device"
                )
        results.append(
            ComplianceResult(
                control=control.control,
                title=control.title,
                config_rule=control.config_rule,
                cis=dict(control.cis),
                status=status,
                note=note,
            )
        )
    return tuple(results)
