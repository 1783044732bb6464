"""The simulator's own AWS vocabulary: partitions, task policies, organization features.

The simulator is the oracle the engine is tested against, so it holds these facts
itself, taken from AWS's pages, and imports nothing from the engine
(``tests/simulator/test_aws.py`` compares both sets and names the page to check):

- Task policies: IAM User Guide, "Perform a privileged task on an AWS Organizations
  member account" (id_root-user-privileged-task.html) and "AWS managed policies for
  IAM" (security-iam-awsmanpol.html); their documents are packaged in
  ``root_access/simulator/policies/<Name>.json``. ARN:
  ``arn:<partition>:iam::aws:policy/root-task/<Name>``.
- Organization features: IAM API Reference, ``ListOrganizationsFeatures``
  (``EnabledFeatures``: ``RootCredentialsManagement``, ``RootSessions``).
- Partitions: IAM User Guide, "IAM identifiers" (reference-arns.html).
"""

from __future__ import annotations

from enum import Enum
from types import MappingProxyType

__all__ = [
    "DEFAULT_TASK_FEATURES",
    "FEATURES",
    "PARTITIONS",
    "ROOT_CREDENTIALS_MANAGEMENT",
    "ROOT_SESSIONS",
    "TaskPolicy",
    "root_arn",
]

PARTITIONS = ("aws", "aws-cn", "aws-us-gov")
"""The partitions where centralized root access exists (reference §9.10: modelled alike)."""

ROOT_CREDENTIALS_MANAGEMENT = "RootCredentialsManagement"
ROOT_SESSIONS = "RootSessions"
FEATURES = (ROOT_CREDENTIALS_MANAGEMENT, ROOT_SESSIONS)
"""IAM organization features, as ``ListOrganizationsFeatures`` names them."""


class TaskPolicy(str, Enum):
    """A root-task policy that ``sts:AssumeRoot`` accepts in ``TaskPolicyArn``."""

    IAM_AUDIT_ROOT_USER_CREDENTIALS = "IAMAuditRootUserCredentials"
    IAM_CREATE_ROOT_USER_PASSWORD = "IAMCreateRootUserPassword"
    IAM_DELETE_ROOT_USER_CREDENTIALS = "IAMDeleteRootUserCredentials"
    S3_UNLOCK_BUCKET_POLICY = "S3UnlockBucketPolicy"
    SQS_UNLOCK_QUEUE_POLICY = "SQSUnlockQueuePolicy"

    def __str__(self) -> str:
        return self.value

    def arn(self, partition: str) -> str:
        """``arn:<partition>:iam::aws:policy/root-task/<Name>``."""
        return f"arn:{partition}:iam::aws:policy/root-task/{self.value}"


DEFAULT_TASK_FEATURES = MappingProxyType(
    {
        TaskPolicy.IAM_AUDIT_ROOT_USER_CREDENTIALS.value: ROOT_CREDENTIALS_MANAGEMENT,
        TaskPolicy.IAM_DELETE_ROOT_USER_CREDENTIALS.value: ROOT_CREDENTIALS_MANAGEMENT,
        TaskPolicy.IAM_CREATE_ROOT_USER_PASSWORD.value: ROOT_SESSIONS,
        TaskPolicy.S3_UNLOCK_BUCKET_POLICY.value: ROOT_SESSIONS,
        TaskPolicy.SQS_UNLOCK_QUEUE_POLICY.value: ROOT_SESSIONS,
    }
)
"""Task policy name -> the feature AssumeRoot requires by default.

An assumption, not a documented fact (reference §1, §10 "Which feature gates which
task"): AWS states only that RootSessions lets members recover root credentials and
that RootCredentialsManagement lets the management account delete them. A scenario
may choose otherwise per organization (``task_features``, ``World.set_task_features``).
"""


def root_arn(partition: str, account_id: str) -> str:
    """``arn:<partition>:iam::<account_id>:root``: an account's root user."""
    return f"arn:{partition}:iam::{account_id}:root"
