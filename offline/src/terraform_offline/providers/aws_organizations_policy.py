"""Stand-ins for ``aws_organizations_policy`` and ``aws_organizations_policy_attachment``.

Behaviour after the real provider (hashicorp/terraform-provider-aws
``internal/service/organizations/policy.go`` and ``policy_attachment.go``):

- policy: create calls ``CreatePolicy``; read ``DescribePolicy`` (drops the resource on
  ``PolicyNotFoundException``); update ``UpdatePolicy``; delete ``DeletePolicy`` unless
  ``skip_destroy``. ``id`` is the policy id (``p-...``); ``type`` defaults to
  ``SERVICE_CONTROL_POLICY``.
- attachment: ``id`` is ``<target_id>:<policy_id>``; create ``AttachPolicy``; read
  ``ListTargetsForPolicy`` (drops it when the target is no longer listed); delete
  ``DetachPolicy`` unless ``skip_destroy``; import by that id.
"""

from __future__ import annotations

import json
from typing import Any

from tf import schema, types
from tf.iface import (
    Config,
    CreateContext,
    DeleteContext,
    ImportContext,
    ReadContext,
    Resource,
    State,
    UpdateContext,
)
from tf.utils import Diagnostics

from terraform_offline.providers.aws import _AWS_ERRORS, _attr, _Base, _error_code, _fail

__all__ = ["OrganizationsPolicyAttachmentResource", "OrganizationsPolicyResource"]

S = types.String
B = types.Bool
POLICY_TYPES = (
    "AISERVICES_OPT_OUT_POLICY",
    "BACKUP_POLICY",
    "CHATBOT_POLICY",
    "DECLARATIVE_POLICY_EC2",
    "RESOURCE_CONTROL_POLICY",
    "SERVICE_CONTROL_POLICY",
    "TAG_POLICY",
)


class OrganizationsPolicyResource(_Base, Resource):
    """``aws_organizations_policy``: ``id`` = policy id."""

    @classmethod
    def get_name(cls) -> str:
        return "organizations_policy"

    @classmethod
    def get_schema(cls) -> schema.Schema:
        attributes = [
            _attr("arn", S(), computed=True),
            _attr("content", S(), required=True),
            _attr("description", S(), optional=True),
            _attr("id", S(), optional=True, computed=True),
            _attr("name", S(), required=True),
            _attr("skip_destroy", B(), optional=True),
            _attr("tags", types.Map(S()), optional=True),
            _attr("tags_all", types.Map(S()), optional=True, computed=True),
            _attr("type", S(), optional=True),
        ]
        return schema.Schema(version=0, attributes=attributes)

    def validate(self, diags: Diagnostics, type_name: str, config: Config) -> None:
        super().validate(diags, type_name, config)
        kind = config.get("type")
        if isinstance(kind, str) and kind not in POLICY_TYPES:
            diags.add_error(
                "Invalid Attribute Value Match",
                f"expected type to be one of {list(POLICY_TYPES)}, got {kind}",
                path=["type"],
            )
        content = config.get("content")
        if isinstance(content, str):
            try:
                json.loads(content)
            except ValueError as exc:
                diags.add_error("Invalid JSON", f'"content" contains an invalid JSON: {exc}')

    def _state(self, planned: State, policy: dict[str, Any]) -> State:
        summary = policy["PolicySummary"]
        tags = planned.get("tags") or None
        return {
            **planned,
            "id": summary["Id"],
            "arn": summary["Arn"],
            # The real provider plans type's default (SERVICE_CONTROL_POLICY); a stand-in
            # cannot plan defaults, so an unset type stays null in state.
            "type": planned.get("type"),
            "content": planned.get("content") or policy.get("Content"),
            "description": planned.get("description"),
            "tags_all": dict(tags or {}),
        }

    def create(self, ctx: CreateContext, planned: State) -> State | None:
        organizations = self.provider.client("organizations")
        tags = planned.get("tags") or {}
        try:
            created = organizations.create_policy(
                Content=planned["content"],
                Description=planned.get("description") or "",
                Name=planned["name"],
                Type=planned.get("type") or "SERVICE_CONTROL_POLICY",
                Tags=[{"Key": k, "Value": v} for k, v in sorted(tags.items())],
            )["Policy"]
        except _AWS_ERRORS as exc:
            _fail(ctx.diagnostics, f"creating Organizations Policy ({planned['name']})", exc)
            return None
        return self._state(planned, created)

    def read(self, ctx: ReadContext, current: State) -> State | None:
        try:
            policy = self.provider.client("organizations").describe_policy(PolicyId=current["id"])[
                "Policy"
            ]
        except _AWS_ERRORS as exc:
            if _error_code(exc) in ("PolicyNotFoundException", "PolicyNotFound"):
                return None
            _fail(ctx.diagnostics, f"reading Organizations Policy ({current['id']})", exc)
            return current
        summary = policy["PolicySummary"]
        return {
            **current,
            "name": summary["Name"],
            "type": summary["Type"] if current.get("type") is not None else None,
            "arn": summary["Arn"],
            "description": summary.get("Description") or current.get("description"),
            "content": current["content"]
            if json.loads(current["content"] or "null") == json.loads(policy["Content"])
            else policy["Content"],
        }

    def update(self, ctx: UpdateContext, current: State, planned: State) -> State | None:
        try:
            updated = self.provider.client("organizations").update_policy(
                PolicyId=current["id"],
                Name=planned["name"],
                Description=planned.get("description") or "",
                Content=planned["content"],
            )["Policy"]
        except _AWS_ERRORS as exc:
            _fail(ctx.diagnostics, f"updating Organizations Policy ({current['id']})", exc)
            return None
        return self._state({**planned, "id": current["id"]}, updated)

    def delete(self, ctx: DeleteContext, current: State) -> None:
        if current.get("skip_destroy"):
            return
        try:
            self.provider.client("organizations").delete_policy(PolicyId=current["id"])
        except _AWS_ERRORS as exc:
            if _error_code(exc) in ("PolicyNotFoundException", "PolicyNotFound"):
                return
            _fail(ctx.diagnostics, f"deleting Organizations Policy ({current['id']})", exc)

    def import_(self, ctx: ImportContext, import_id: str) -> State | None:
        try:
            policy = self.provider.client("organizations").describe_policy(PolicyId=import_id)[
                "Policy"
            ]
        except _AWS_ERRORS as exc:
            _fail(ctx.diagnostics, f"importing Organizations Policy ({import_id})", exc)
            return None
        summary = policy["PolicySummary"]
        return {
            "id": summary["Id"],
            "arn": summary["Arn"],
            "name": summary["Name"],
            "type": summary["Type"],
            "description": summary.get("Description"),
            "content": policy["Content"],
            "skip_destroy": None,
            "tags": None,
            "tags_all": {},
        }


class OrganizationsPolicyAttachmentResource(_Base, Resource):
    """``aws_organizations_policy_attachment``: ``id`` = ``<target_id>:<policy_id>``."""

    @classmethod
    def get_name(cls) -> str:
        return "organizations_policy_attachment"

    @classmethod
    def get_schema(cls) -> schema.Schema:
        attributes = [
            _attr("id", S(), optional=True, computed=True),
            _attr("policy_id", S(), required=True),
            _attr("skip_destroy", B(), optional=True),
            _attr("target_id", S(), required=True),
        ]
        for attribute in attributes:
            if attribute.name in ("policy_id", "target_id"):
                attribute.requires_replace = True
        return schema.Schema(version=0, attributes=attributes)

    def _attached(self, policy_id: str, target_id: str) -> bool:
        paginator = self.provider.client("organizations").get_paginator("list_targets_for_policy")
        for page in paginator.paginate(PolicyId=policy_id):
            if any(t.get("TargetId") == target_id for t in page.get("Targets", [])):
                return True
        return False

    def create(self, ctx: CreateContext, planned: State) -> State | None:
        policy_id, target_id = planned["policy_id"], planned["target_id"]
        try:
            self.provider.client("organizations").attach_policy(
                PolicyId=policy_id, TargetId=target_id
            )
        except _AWS_ERRORS as exc:
            summary = f"creating Organizations Policy Attachment ({target_id}:{policy_id})"
            _fail(ctx.diagnostics, summary, exc)
            return None
        return {**planned, "id": f"{target_id}:{policy_id}"}

    def read(self, ctx: ReadContext, current: State) -> State | None:
        try:
            attached = self._attached(current["policy_id"], current["target_id"])
        except _AWS_ERRORS as exc:
            if _error_code(exc) in ("PolicyNotFoundException", "TargetNotFoundException"):
                return None
            _fail(
                ctx.diagnostics, f"reading Organizations Policy Attachment ({current['id']})", exc
            )
            return current
        return current if attached else None

    def update(self, ctx: UpdateContext, current: State, planned: State) -> State | None:
        return {**planned, "id": current["id"]}

    def delete(self, ctx: DeleteContext, current: State) -> None:
        if current.get("skip_destroy"):
            return
        try:
            self.provider.client("organizations").detach_policy(
                PolicyId=current["policy_id"], TargetId=current["target_id"]
            )
        except _AWS_ERRORS as exc:
            if _error_code(exc) in ("PolicyNotAttachedException", "PolicyNotFoundException"):
                return
            _fail(
                ctx.diagnostics, f"deleting Organizations Policy Attachment ({current['id']})", exc
            )

    def import_(self, ctx: ImportContext, import_id: str) -> State | None:
        target_id, colon, policy_id = import_id.partition(":")
        if not colon or not target_id or not policy_id:
            ctx.diagnostics.add_error(
                "Invalid import ID",
                f'unexpected format for ID ({import_id}), expected "TARGETID:POLICYID"',
            )
            return None
        state: State = {
            "id": import_id,
            "policy_id": policy_id,
            "target_id": target_id,
            "skip_destroy": None,
        }
        try:
            found = self._attached(policy_id, target_id)
        except _AWS_ERRORS as exc:
            _fail(ctx.diagnostics, f"importing Organizations Policy Attachment ({import_id})", exc)
            return None
        if not found:
            ctx.diagnostics.add_error(
                "Cannot import non-existent remote object",
                f"Organizations Policy Attachment ({import_id}) not found",
            )
            return None
        return state
