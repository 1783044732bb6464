variable "create" {
  description = "Master switch: false deletes nothing and reads nothing."
  type        = bool
  default     = true
}

variable "selection" {
  description = "Accounts whose root credentials are deleted: explicit 12-digit account ids, OU subtrees (ou-… or the root r-…), or all = true for the whole organization; exclusions apply last. The management account and inactive accounts are never assumed into."
  type = object({
    accounts                     = optional(list(string), [])
    organizational_units         = optional(list(string), [])
    exclude_accounts             = optional(list(string), [])
    exclude_organizational_units = optional(list(string), [])
    all                          = optional(bool, false)
  })
  nullable = false

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
  description = "File the engine writes the per-account results to (JSON lines, no secrets), relative to Terraform's working directory; null writes none (results still go to the apply log)."
  type        = string
  default     = null

  validation {
    condition     = try(length(trimspace(var.evidence_path)) > 0, true)
    error_message = "evidence_path must be a file path such as \"evidence/root-credentials.jsonl\", or null."
  }
}
variable "python_executable" {
  description = "Python interpreter (name on PATH or absolute path) that runs scripts/audit.py (plan) and scripts/delete.py (apply); it needs boto3 >= 1.40. Set it when python3 is not on the runner's PATH."
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

variable "detail" {
  description = "How the fresh audit session after the deletions verifies that nothing is left: \"summary\" reads GetAccountSummary (and the detail only for a kind still flagged); \"full\" re-lists every kind."
  type        = string
  default     = "summary"
  nullable    = false

  validation {
    condition     = contains(["summary", "full"], var.detail)
    error_message = "detail must be \"summary\" or \"full\"."
  }
}
