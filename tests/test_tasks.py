"""The five root-task policies and the feature each needs."""

from __future__ import annotations

from root_access import RootTask


def test_task_policy_arns_follow_the_partition() -> None:
    # given / when
    arns = [task.policy_arn("aws-us-gov") for task in RootTask]
    # then
    assert arns == [
        "arn:aws-us-gov:iam::aws:policy/root-task/IAMAuditRootUserCredentials",
        "arn:aws-us-gov:iam::aws:policy/root-task/IAMCreateRootUserPassword",
        "arn:aws-us-gov:iam::aws:policy/root-task/IAMDeleteRootUserCredentials",
        "arn:aws-us-gov:iam::aws:policy/root-task/S3UnlockBucketPolicy",
        "arn:aws-us-gov:iam::aws:policy/root-task/SQSUnlockQueuePolicy",
    ]


def test_audit_and_delete_need_rcm_the_others_root_sessions() -> None:
    # given / when
    needed = {task.value: task.required_feature for task in RootTask}
    # then
    assert needed == {
        "IAMAuditRootUserCredentials": "RootCredentialsManagement",
        "IAMDeleteRootUserCredentials": "RootCredentialsManagement",
        "IAMCreateRootUserPassword": "RootSessions",
        "S3UnlockBucketPolicy": "RootSessions",
        "SQSUnlockQueuePolicy": "RootSessions",
    }
