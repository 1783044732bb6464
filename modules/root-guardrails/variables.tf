variable "create" {
  description = "Master switch: false creates no policy and no attachment."
  type        = bool
  default     = true
}

variable "create_deny_root_user_policy" {
  description = "Create the SCP that denies every action by a member account's root user outside AssumeRoot sessions (aws:PrincipalArn matches arn:*:iam::*:root and aws:AssumedRoot is absent). Attached to deny_root_user_target_ids."
  type        = bool
  default     = true
}

variable "deny_root_user_target_ids" {
  description = "Where to attach the deny-root-user SCP: the organization root (r-...), OUs (ou-...) or member account ids (12 digits). SCPs never apply to the management account."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for id in var.deny_root_user_target_ids : can(regex("^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}|[0-9]{12})$", id))])
    error_message = "deny_root_user_target_ids must hold root ids (r-xxxx), OU ids (ou-xxxx-xxxxxxxx) or 12-digit account ids, e.g. [\"ou-abcd-12345678\"]."
  }
}

variable "create_restrict_assume_root_policy" {
  description = "Create the SCP that, in the IAM delegated administrator account, denies sts:AssumeRoot to every principal except pipeline_role_arns (and, per role, to task policies outside allowed_task_policies). Attached to delegated_administrator_account_id."
  type        = bool
  default     = false
}

variable "delegated_administrator_account_id" {
  description = "The IAM delegated administrator account (12 digits) the restrict-AssumeRoot SCP is attached to. Required when create_restrict_assume_root_policy is true. The management account is never subject to SCPs: limit sts:AssumeRoot there with the role's own policy (policies/)."
  type        = string
  default     = null

  validation {
    condition     = var.delegated_administrator_account_id == null || can(regex("^[0-9]{12}$", var.delegated_administrator_account_id))
    error_message = "delegated_administrator_account_id must be a 12-digit account id string, e.g. \"333333333333\"."
  }
}

variable "pipeline_role_arns" {
  description = "IAM role ARNs (arn:<partition>:iam::<account>:role/<path/name>, wildcards allowed) that may call sts:AssumeRoot in the delegated administrator account; every other principal is denied."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for arn in var.pipeline_role_arns : can(regex("^arn:(aws|aws-cn|aws-us-gov|\\*):iam::([0-9]{12}|\\*):role/.+$", arn))])
    error_message = "pipeline_role_arns must hold IAM role ARNs, e.g. \"arn:aws:iam::333333333333:role/root-access-pipeline\"."
  }
}

variable "allowed_task_policies" {
  description = "Optional, per pipeline role ARN: the root-task policy names it may use with sts:AssumeRoot (sts:TaskPolicyArn); roles not listed may use all five. Names: IAMAuditRootUserCredentials, IAMCreateRootUserPassword, IAMDeleteRootUserCredentials, S3UnlockBucketPolicy, SQSUnlockQueuePolicy."
  type        = map(list(string))
  default     = {}
  nullable    = false

  validation {
    condition = alltrue(flatten([for tasks in values(var.allowed_task_policies) : [
      for task in tasks : contains(["IAMAuditRootUserCredentials", "IAMCreateRootUserPassword", "IAMDeleteRootUserCredentials", "S3UnlockBucketPolicy", "SQSUnlockQueuePolicy"], task)
    ]]))
    error_message = "allowed_task_policies values must be task policy names: IAMAuditRootUserCredentials, IAMCreateRootUserPassword, IAMDeleteRootUserCredentials, S3UnlockBucketPolicy, SQSUnlockQueuePolicy."
  }
}

variable "name_prefix" {
  description = "Prefix of the SCP names (the names end in deny-root-user and restrict-assume-root)."
  type        = string
  default     = "root-access-"
}

variable "tags" {
  description = "Tags on both SCPs."
  type        = map(string)
  default     = {}
}
