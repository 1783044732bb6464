variable "region" {
  description = "AWS Region of the providers and of the engine's STS/IAM clients."
  type        = string
  default     = "us-east-1"
}

variable "organizations" {
  description = "Per organization: the named profile of its management account, its IAM delegated administrator and the member accounts to clean."
  type = map(object({
    profile                            = string
    delegated_administrator_account_id = optional(string)
    selection = optional(object({
      accounts                     = optional(list(string), [])
      organizational_units         = optional(list(string), [])
      exclude_accounts             = optional(list(string), [])
      exclude_organizational_units = optional(list(string), [])
      all                          = optional(bool, false)
    }), { all = true })
  }))
  default = {
    first  = { profile = "first-management", delegated_administrator_account_id = "333333333333" }
    second = { profile = "second-management" }
  }

  validation {
    condition     = alltrue([for name in ["first", "second"] : contains(keys(var.organizations), name)])
    error_message = "organizations must have the keys first and second (one per provider alias)."
  }
}

variable "evidence_directory" {
  description = "Directory of the JSON-lines evidence files, one per organization."
  type        = string
  default     = "evidence"
}

variable "python_executable" {
  description = "Python interpreter with boto3 that runs the engine scripts."
  type        = string
  default     = "python3"
}
