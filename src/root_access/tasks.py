"""The five root-task policies that ``sts:AssumeRoot`` accepts.

Source: IAM User Guide, "Perform a privileged task on an AWS Organizations member
account" (id_root-user-privileged-task.html) and "AWS managed policies for IAM"
(security-iam-awsmanpol.html).
"""

from __future__ import annotations

from enum import Enum

from root_access import rules

__all__ = ["FEATURES", "ROOT_CREDENTIALS_MANAGEMENT", "ROOT_SESSIONS", "RootTask"]

FEATURES = rules.FEATURES.values
"""Feature names as ``iam:ListOrganizationsFeatures`` returns them (``rules.FEATURES``)."""
ROOT_CREDENTIALS_MANAGEMENT, ROOT_SESSIONS = FEATURES


class RootTask(str, Enum):
    """A root-task policy name, as it appears in ``TaskPolicyArn``."""

    AUDIT = "IAMAuditRootUserCredentials"
    CREATE_PASSWORD = "IAMCreateRootUserPassword"
    DELETE_CREDENTIALS = "IAMDeleteRootUserCredentials"
    UNLOCK_S3_BUCKET_POLICY = "S3UnlockBucketPolicy"
    UNLOCK_SQS_QUEUE_POLICY = "SQSUnlockQueuePolicy"

    def __str__(self) -> str:
        return self.value

    def policy_arn(self, partition: str) -> str:
        """``arn:<partition>:iam::aws:policy/root-task/<Name>``."""
        return f"arn:{partition}:iam::aws:policy/root-task/{self.value}"

    @property
    def required_feature(self) -> str:
        """The organization feature this task needs.

        Which feature AWS checks per task is unconfirmed (reference §1, §9.4);
        we assume RootCredentialsManagement for audit and delete and
        RootSessions for password recovery and the S3/SQS unlocks.
        """
        if self in (RootTask.AUDIT, RootTask.DELETE_CREDENTIALS):
            return ROOT_CREDENTIALS_MANAGEMENT
        return ROOT_SESSIONS
