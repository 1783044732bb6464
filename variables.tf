variable "create" {
  description = "Master switch: false plans nothing in any module (nothing is read, created or run)."
  type        = bool
  default     = true
}

variable "enabled_features" {
  description = "IAM organization features to enable: a non-empty subset of RootCredentialsManagement and RootSessions."
  type        = set(string)
  default     = ["RootCredentialsManagement", "RootSessions"]

  validation {
    condition     = length(var.enabled_features) > 0
    error_message = "enabled_features must not be empty: to turn the features off, lift prevent_destroy and destroy the module (see README)."
  }

  validation {
    condition     = alltrue([for feature in var.enabled_features : contains(["RootCredentialsManagement", "RootSessions"], feature)])
    error_message = "enabled_features accepts only RootCredentialsManagement and RootSessions (case-sensitive)."
  }
}

variable "delegated_administrator_account_id" {
  description = "12-digit id of the member account (usually a security account) to register as IAM delegated administrator for iam.amazonaws.com; null registers none."
  type        = string
  default     = null

  validation {
    condition     = var.delegated_administrator_account_id == null || can(regex("^[0-9]{12}$", var.delegated_administrator_account_id))
    error_message = "delegated_administrator_account_id must be a 12-digit account id string, e.g. \"333333333333\", or null."
  }
}

variable "enable_trusted_access" {
  description = "Opt-in: enable trusted access for iam.amazonaws.com through the engine (organizations:EnableAWSServiceAccess, run by scripts/task.py at apply) before enabling the features. Off: a precondition stops the plan when trusted access is missing."
  type        = bool
  default     = false
}

variable "selection" {
  description = "Accounts to audit and, with remove_root_credentials, to delete root credentials from: explicit 12-digit account ids, OU subtrees (ou-… or the root r-…), or all = true for the whole organization; exclusions apply last. The management account and inactive (SUSPENDED, PENDING_CLOSURE, …) accounts are skipped: never assumed into, reported in accounts_not_audited, never counted as holding no root credentials."
  type = object({
    accounts                     = optional(list(string), [])
    organizational_units         = optional(list(string), [])
    exclude_accounts             = optional(list(string), [])
    exclude_organizational_units = optional(list(string), [])
    all                          = optional(bool, false)
  })
  default = { all = true }

  validation {
    condition     = alltrue([for id in concat(var.selection.accounts, var.selection.exclude_accounts) : can(regex("^[0-9]{12}$", id))])
    error_message = "selection.accounts and selection.exclude_accounts take 12-digit account id strings, e.g. \"222222222222\"."
  }

  validation {
    condition     = alltrue([for id in concat(var.selection.organizational_units, var.selection.exclude_organizational_units) : can(regex("^(ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}|r-[0-9a-z]{4,32})$", id))])
    error_message = "selection.organizational_units and selection.exclude_organizational_units take OU ids (ou-xxxx-yyyyyyyy) or the root id (r-xxxx)."
  }

  validation {
    condition     = var.selection.all != (length(var.selection.accounts) + length(var.selection.organizational_units) > 0)
    error_message = "selection needs exactly one of: all = true, or a non-empty accounts / organizational_units list."
  }
}

variable "remove_root_credentials" {
  description = "True deletes the root credentials (password, access keys, signing certificates, MFA devices) of every selected member account at apply; false only audits."
  type        = bool
  default     = false
}

variable "dry_run" {
  description = "True audits and reports what would be deleted (outcome would_delete) without deleting anything."
  type        = bool
  default     = false
}

variable "delete_virtual_mfa" {
  description = "After deactivating a virtual MFA device, also try DeleteVirtualMFADevice (the current IAMDeleteRootUserCredentials policy may deny it; the device is then reported as left in place, not as a failure)."
  type        = bool
  default     = true
}

variable "skip_scp_blocked" {
  description = "True lints each selected account's service control policies first (Organizations reads only) and reports an account an SCP would block in the deletion's root sessions as blocked_by_scp, naming the policy, the statement and the fix, without calling sts:AssumeRoot for it (the resource is still tainted: the account failed); false (the default) tries every account."
  type        = bool
  default     = false
  nullable    = false
}

variable "evidence_path" {
  description = "File the engine appends the per-account results of deletions and privileged tasks to (JSON lines, no secrets), relative to Terraform's working directory; null writes none (results still go to the apply log)."
  type        = string
  default     = null

  validation {
    condition     = try(length(trimspace(var.evidence_path)) > 0, true)
    error_message = "evidence_path must be a file path such as \"evidence/root-credentials.jsonl\", or null."
  }
}

variable "privileged_tasks" {
  description = "Privileged root tasks keyed by a request id you choose (e.g. a ticket number). Each id runs once; a new id runs again, an id already applied never runs again (editing it only updates the record). task: allow-password-recovery | unlock-s3-bucket-policy (buckets required) | unlock-sqs-queue-policy (queue_urls required); account_id: the 12-digit member account; dry_run: only report what would change."
  type = map(object({
    task       = string
    account_id = string
    buckets    = optional(list(string), [])
    queue_urls = optional(list(string), [])
    dry_run    = optional(bool, false)
  }))
  default  = {}
  nullable = false

  validation {
    condition     = alltrue([for id in keys(var.privileged_tasks) : can(regex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$", id))])
    error_message = "privileged_tasks keys (request ids) must be 1-64 characters of letters, digits, '.', '_' or '-', starting with a letter or digit, e.g. \"CHG-1234\"."
  }

  validation {
    condition     = alltrue([for request in values(var.privileged_tasks) : contains(["allow-password-recovery", "unlock-s3-bucket-policy", "unlock-sqs-queue-policy"], request.task)])
    error_message = "privileged_tasks[*].task must be one of allow-password-recovery, unlock-s3-bucket-policy, unlock-sqs-queue-policy."
  }

  validation {
    condition     = alltrue([for request in values(var.privileged_tasks) : can(regex("^[0-9]{12}$", request.account_id))])
    error_message = "privileged_tasks[*].account_id must be a 12-digit account id string, e.g. \"222222222222\"."
  }

  validation {
    condition     = alltrue([for request in values(var.privileged_tasks) : request.task != "unlock-s3-bucket-policy" || length(request.buckets) > 0])
    error_message = "privileged_tasks with task unlock-s3-bucket-policy need a non-empty buckets list (bucket names)."
  }

  validation {
    condition     = alltrue([for request in values(var.privileged_tasks) : request.task != "unlock-sqs-queue-policy" || length(request.queue_urls) > 0])
    error_message = "privileged_tasks with task unlock-sqs-queue-policy need a non-empty queue_urls list (https://sqs.<region>.amazonaws.com/<account>/<name>)."
  }

  validation {
    condition     = alltrue([for request in values(var.privileged_tasks) : (request.task == "unlock-s3-bucket-policy" || length(request.buckets) == 0) && (request.task == "unlock-sqs-queue-policy" || length(request.queue_urls) == 0)])
    error_message = "privileged_tasks: buckets belong only to unlock-s3-bucket-policy and queue_urls only to unlock-sqs-queue-policy."
  }

  validation {
    condition     = alltrue(flatten([for request in values(var.privileged_tasks) : [for bucket in request.buckets : can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", bucket))]]))
    error_message = "privileged_tasks[*].buckets take S3 bucket names: 3-63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit."
  }

  validation {
    condition     = alltrue(flatten([for request in values(var.privileged_tasks) : [for url in request.queue_urls : can(regex("^https?://[^/?#@]+/${request.account_id}/[A-Za-z0-9_-]{1,80}(\\.fifo)?/?$", url))]]))
    error_message = "privileged_tasks[*].queue_urls must be queue URLs of the request's own account_id: https://sqs.<region>.amazonaws.com/<account_id>/<queue>."
  }
}

variable "python_executable" {
  description = "Python interpreter (name on PATH or absolute path) that runs the engine scripts (audit at plan; delete and tasks at apply); it needs boto3 >= 1.40. Set it when python3 is not on the runner's PATH."
  type        = string
  default     = "python3"

  validation {
    condition     = length(trimspace(var.python_executable)) > 0
    error_message = "python_executable must name a Python interpreter, e.g. \"python3\" or \"/usr/bin/python3\"."
  }
}

variable "profile" {
  description = "AWS named profile the engine uses (management account or IAM delegated administrator); null uses the environment Terraform runs in."
  type        = string
  default     = null
}

variable "region" {
  description = "AWS Region for STS (AssumeRoot needs a regional endpoint) and IAM; null uses AWS_REGION / the profile's Region."
  type        = string
  default     = null

  validation {
    condition     = var.region == null || can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]+$", var.region))
    error_message = "region must be an AWS Region name such as \"eu-west-1\", or null."
  }
}

variable "max_workers" {
  description = "Accounts processed in parallel (bounded worker pool), 1 to 64."
  type        = number
  default     = 32

  validation {
    condition     = var.max_workers >= 1 && var.max_workers <= 64 && floor(var.max_workers) == var.max_workers
    error_message = "max_workers must be a whole number from 1 to 64."
  }
}

variable "audit_result_mode" {
  description = "How much of the audit goes into Terraform's plan and state. \"full\": every account's record (output root_credentials). \"compact\": counts, the ids that need action (accounts_with_root_credentials, accounts_not_audited), root_credential_kinds and a digest; the records go to the report file (audit_report_path). \"auto\": full up to 1,000 accounts in the selection, compact above (root_access.rules COMPACT_ABOVE)."
  type        = string
  default     = "auto"

  validation {
    condition     = contains(["auto", "full", "compact"], var.audit_result_mode)
    error_message = "audit_result_mode must be \"auto\", \"full\" or \"compact\"."
  }
}

variable "audit_report_path" {
  description = "JSON Lines file the audit writes every account's record to (one AccountResult.to_dict() per line, sorted by account id; no secrets), relative to Terraform's working directory. It is replaced on every plan, refresh and apply that reads the audit. Set: written in both result modes. null: written only in compact mode, to path.root/root-credentials-audit.jsonl."
  type        = string
  default     = null

  validation {
    condition     = try(length(trimspace(var.audit_report_path)) > 0, true)
    error_message = "audit_report_path must name a file, e.g. \"reports/root-credentials-audit.jsonl\", or be null."
  }
}

variable "detail" {
  description = "How much the audit reads per account (and how the removal verifies): \"summary\" reads GetAccountSummary first and the detail only for the kinds its root flags report (a clean account costs AssumeRoot + GetAccountSummary); \"full\" reads every kind whatever the flags say."
  type        = string
  default     = "summary"
  nullable    = false

  validation {
    condition     = contains(["summary", "full"], var.detail)
    error_message = "detail must be \"summary\" or \"full\"."
  }
}

variable "audit_fail_on" {
  description = "Drift conditions that fail the plan (or the apply, when the audit is read then) when they hold for any selected account: \"present\" (an account's root user holds a password, access key, signing certificate or MFA device) and \"not-audited\" (an account could not be audited: blocked_by_scp, access_denied, throttled, error, or not ACTIVE; the management account is never counted). The error names the accounts. The same rule as root-access audit --fail-on; for scheduled drift jobs. Empty (the default): never fails (the checks only warn)."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for condition in var.audit_fail_on : contains(["present", "not-audited"], condition)])
    error_message = "audit_fail_on takes \"present\" and \"not-audited\"."
  }
}
