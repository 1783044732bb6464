"""Centralized root access for AWS Organizations as typed constructs for CDK Terrain and cdktf.

The constructs wrap the project's Terraform modules (one source of truth for the logic);
each is a ``module`` block named by its construct id. The CDK in use is CDK Terrain
(``cdktn``) when installed, else CDK for Terraform (``cdktf``); see ``root_access_cdktf.cdk``.
"""

from __future__ import annotations

from root_access_cdktf.organization_root_access import OrganizationRootAccess
from root_access_cdktf.privileged_task import PrivilegedTask
from root_access_cdktf.props import TASKS, PrivilegedTaskRequest, Selection
from root_access_cdktf.root_access_management import RootAccessManagement
from root_access_cdktf.root_credentials_audit import RootCredentialsAudit
from root_access_cdktf.root_credentials_removal import RootCredentialsRemoval
from root_access_cdktf.root_guardrails import RootGuardrails
from root_access_cdktf.validation import FEATURES, RESULT_MODES, PropsError

__all__ = [
    "FEATURES",
    "RESULT_MODES",
    "TASKS",
    "OrganizationRootAccess",
    "PrivilegedTask",
    "PrivilegedTaskRequest",
    "PropsError",
    "RootAccessManagement",
    "RootCredentialsAudit",
    "RootCredentialsRemoval",
    "RootGuardrails",
    "Selection",
    "__version__",
]

__version__ = "0.1.0"
