# Break glass: a member account's S3 bucket policy or SQS queue policy denies everyone,
# including its administrators. A privileged root session (S3UnlockBucketPolicy /
# SQSUnlockQueuePolicy) removes the policy; the removed document goes to the evidence.
# Each request id runs once: add a new id for the next incident.

provider "aws" {
  region = var.region
}

# Who runs the unlock: the management account or the IAM delegated administrator.
data "aws_caller_identity" "current" {}

module "break_glass" {
  source = "../../modules/privileged-task"

  requests          = var.requests
  evidence_path     = var.evidence_path
  region            = var.region
  python_executable = var.python_executable
}

# The same module switched off: no request runs.
module "break_glass_disabled" {
  source = "../../modules/privileged-task"

  create   = false
  requests = var.requests
}
