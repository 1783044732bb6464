variable "create" {
  description = "Master switch: false plans nothing (no data source is read, no resource is created)."
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

variable "python_executable" {
  description = "Python interpreter (name on PATH or absolute path) that runs scripts/task.py when enable_trusted_access is true; it needs boto3 >= 1.40."
  type        = string
  default     = "python3"

  validation {
    condition     = length(trimspace(var.python_executable)) > 0
    error_message = "python_executable must name a Python interpreter, e.g. \"python3\" or \"/usr/bin/python3\"."
  }
}

variable "profile" {
  description = "AWS named profile the engine script uses (management account); null uses the environment Terraform runs in. The aws provider's own credentials are set by the caller's provider block."
  type        = string
  default     = null
}

variable "region" {
  description = "AWS Region for the engine script's STS and IAM clients; null uses AWS_REGION / the profile's Region."
  type        = string
  default     = null

  validation {
    condition     = var.region == null || can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]+$", var.region))
    error_message = "region must be an AWS Region name such as \"eu-west-1\", or null."
  }
}
