variable "create" {
  description = "Master switch: false runs no audit; the list and map outputs are then empty and result_mode, report_path and digest null."
  type        = bool
  default     = true
}

variable "selection" {
  description = "Accounts to audit: explicit 12-digit account ids, OU subtrees (ou-… or the root r-…), or all = true for the whole organization; exclusions apply last. The management account and inactive (SUSPENDED, PENDING_CLOSURE, …) accounts are not audited: they are in accounts_not_audited, never counted as holding no root credentials."
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

variable "python_executable" {
  description = "Python interpreter (name on PATH or absolute path) that runs scripts/audit.py; it needs boto3 >= 1.40. Set it when python3 is not on the runner's PATH."
  type        = string
  default     = "python3"

  validation {
    condition     = length(trimspace(var.python_executable)) > 0
    error_message = "python_executable must name a Python interpreter, e.g. \"python3\" or \"/usr/bin/python3\"."
  }
}

variable "profile" {
  description = "AWS named profile the audit uses (management account or IAM delegated administrator); null uses the environment Terraform runs in."
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
  description = "Accounts audited in parallel (bounded worker pool), 1 to 64."
  type        = number
  default     = 32

  validation {
    condition     = var.max_workers >= 1 && var.max_workers <= 64 && floor(var.max_workers) == var.max_workers
    error_message = "max_workers must be a whole number from 1 to 64."
  }
}

variable "result_mode" {
  description = "How much of the audit goes into Terraform's plan and state. \"full\": every account's record (outputs accounts, account_ids). \"compact\": counts, the ids that need action (accounts_with_root_credentials, accounts_not_audited), root_credential_kinds and a digest; the records go to the report file. \"auto\": full up to 1,000 accounts in the selection, compact above (root_access.rules COMPACT_ABOVE)."
  type        = string
  default     = "auto"

  validation {
    condition     = contains(["auto", "full", "compact"], var.result_mode)
    error_message = "result_mode must be \"auto\", \"full\" or \"compact\"."
  }
}

variable "report_path" {
  description = "JSON Lines file the audit writes every account's record to (one AccountResult.to_dict() per line, sorted by account id; no secrets), relative to Terraform's working directory. It is replaced on every plan, refresh and apply that reads the audit. Set: written in both result modes. null: written only in compact mode, to path.root/root-credentials-audit.jsonl."
  type        = string
  default     = null

  validation {
    condition     = try(length(trimspace(var.report_path)) > 0, true)
    error_message = "report_path must name a file, e.g. \"reports/root-credentials-audit.jsonl\", or be null."
  }
}

variable "detail" {
  description = "How much the audit reads per account: \"summary\" reads GetAccountSummary first and the detail (GetLoginProfile, ListAccessKeys, ListSigningCertificates, ListMFADevices) only for the kinds its root flags report, so a clean account costs AssumeRoot + GetAccountSummary; \"full\" reads every kind whatever the flags say."
  type        = string
  default     = "summary"
  nullable    = false

  validation {
    condition     = contains(["summary", "full"], var.detail)
    error_message = "detail must be \"summary\" or \"full\"."
  }
}

variable "fail_on" {
  description = "Drift conditions that fail the plan (or the apply, when the audit is read then) when they hold for any selected account: \"present\" (an account's root user holds a password, access key, signing certificate or MFA device) and \"not-audited\" (an account could not be audited: blocked_by_scp, access_denied, throttled, error, or not ACTIVE; the management account is never counted). The error names the accounts. The same rule as root-access audit --fail-on. Empty (the default): never fails."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for condition in var.fail_on : contains(["present", "not-audited"], condition)])
    error_message = "fail_on takes \"present\" and \"not-audited\"."
  }
}
