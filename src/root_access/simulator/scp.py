"""Service control policies as documents, read from moto's Organizations backend.

SCPs are created and attached through the Organizations API (``CreatePolicy``,
``AttachPolicy`` with ``Type=SERVICE_CONTROL_POLICY``; moto stores them on the root,
OU and account objects, so ``ListPoliciesForTarget``, ``DescribePolicy`` and
``ListParents`` return them as AWS does). For a request made by a member account's
root user or root session the simulator evaluates, as AWS does:

- the policies attached to the account, to each OU above it and to the root;
- at every level an explicit ``Deny`` denies, and some ``Allow`` must match
  (``FullAWSAccess``, which Organizations attaches everywhere, allows ``*``);
- only when the ``SERVICE_CONTROL_POLICY`` type is enabled on the root;
- never for the management account.

Source: Organizations User Guide, "SCP evaluation" (orgs_manage_policies_scps_evaluation.html)
and "Service control policies" (orgs_manage_policies_scps.html): "SCPs don't affect
users or roles in the management account".
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from root_access.simulator.organizations import OrgView, find_account
from root_access.simulator.policy import Decision, Request, evaluate, parse_document

__all__ = ["SCP_TYPE", "scp_decision", "scp_deny_document", "scp_enabled"]

SCP_TYPE = "SERVICE_CONTROL_POLICY"


def scp_enabled(view: OrgView) -> bool:
    """True when the organization's root has the SCP policy type enabled."""
    root = next((ou for ou in view.backend.ou if ou.id == view.org.root_id), None)
    if root is None:
        return False
    return any(
        item["Type"] == SCP_TYPE and item.get("Status") == "ENABLED"
        for item in getattr(root, "policy_types", [])
    )


def scp_deny_document(actions: Sequence[str]) -> dict[str, Any]:
    """The SCP a scenario's ``scp_deny`` stands for: deny ``actions`` in root sessions.

    ``{"Effect": "Deny", "Action": [...], "Resource": "*", "Condition": {"Null":
    {"aws:AssumedRoot": "false"}}}``: the key ``aws:AssumedRoot`` is present only in
    root sessions (IAM User Guide, condition-keys-assumedroot).
    """
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "DenyInRootSessions",
                "Effect": "Deny",
                "Action": list(actions),
                "Resource": "*",
                "Condition": {"Null": {"aws:AssumedRoot": "false"}},
            }
        ],
    }


def _levels(view: OrgView, account: Any) -> list[Any]:
    """The account, then each OU above it, then the root (moto objects)."""
    by_id: dict[str, Any] = {str(ou.id): ou for ou in view.backend.ou}
    levels = [account]
    parent = by_id.get(str(account.parent_id))
    while parent is not None:
        levels.append(parent)
        parent = by_id.get(str(parent.parent_id)) if parent.type != "ROOT" else None
    return levels


def scp_decision(view: OrgView, account_id: str, request: Request) -> tuple[Decision, str]:
    """``(decision, policy name)`` of the SCPs over ``account_id`` for ``request``.

    ``Decision.DENY``: an explicit deny (the name of the denying policy);
    ``Decision.NONE``: some level has no SCP allowing the request (implicit deny;
    the name is that level's id); ``Decision.ALLOW``: SCPs permit it, or do not
    apply (management account, SCPs not enabled, account not found).
    Raises PolicyError for an attached document the evaluator cannot read.
    """
    if account_id == view.management_account_id or not scp_enabled(view):
        return Decision.ALLOW, ""
    account = find_account(view, account_id)
    if account is None:
        return Decision.ALLOW, ""
    for level in _levels(view, account):
        allowed = False
        for policy in level.attached_policies:
            if policy.type != SCP_TYPE:
                continue
            decision, _ = evaluate(parse_document(str(policy.content)), request)
            if decision is Decision.DENY:
                return Decision.DENY, str(policy.name)
            allowed = allowed or decision is Decision.ALLOW
        if not allowed:
            return Decision.NONE, str(level.id)
    return Decision.ALLOW, ""
