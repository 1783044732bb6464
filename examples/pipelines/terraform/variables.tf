variable "region" {
  description = "AWS Region of the provider and of the engine's STS/IAM clients (AssumeRoot needs a regional STS endpoint)."
  type        = string
  default     = "us-east-1"
}

variable "delegated_administrator_account_id" {
  description = "12-digit id of the security account to register as IAM delegated administrator; null registers none."
  type        = string
  default     = null
}

variable "enable_trusted_access" {
  description = "Enable trusted access for iam.amazonaws.com through the engine when it is off."
  type        = bool
  default     = true
}

variable "selection" {
  description = "Member accounts whose root credentials are deleted and audited (see the root module)."
  type = object({
    accounts                     = optional(list(string), [])
    organizational_units         = optional(list(string), [])
    exclude_accounts             = optional(list(string), [])
    exclude_organizational_units = optional(list(string), [])
    all                          = optional(bool, false)
  })
  default = { all = true }
}

variable "evidence_path" {
  description = "JSON-lines evidence of every deletion, relative to this directory (the pipelines keep it as an artifact)."
  type        = string
  default     = "evidence/root-credentials.jsonl"
}

variable "python_executable" {
  description = "Python interpreter with boto3 >= 1.40 that runs the engine scripts."
  type        = string
  default     = "python3"
}
