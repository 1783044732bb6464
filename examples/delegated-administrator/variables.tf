variable "region" {
  description = "AWS Region of the providers and of the engine's STS/IAM clients."
  type        = string
  default     = "us-east-1"
}

variable "management_profile" {
  description = "AWS named profile of the management account (features, delegated administrator)."
  type        = string
  default     = "management"
}

variable "delegated_administrator_profile" {
  description = "AWS named profile of the security account, the IAM delegated administrator (audit, deletion)."
  type        = string
  default     = "security"
}

variable "enable_trusted_access" {
  description = "Enable trusted access for iam.amazonaws.com through the engine when it is off."
  type        = bool
  default     = true
}

variable "selection" {
  description = "Member accounts to audit and clean (see the modules)."
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
  description = "JSON-lines evidence of every deletion, relative to the working directory."
  type        = string
  default     = "evidence/root-credentials.jsonl"
}

variable "python_executable" {
  description = "Python interpreter with boto3 that runs the engine scripts."
  type        = string
  default     = "python3"
}
