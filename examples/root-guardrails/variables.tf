variable "region" {
  description = "AWS Region of the provider (Organizations is global; the Region picks the partition's endpoint)."
  type        = string
  default     = "us-east-1"
}

variable "deny_root_user_target_ids" {
  description = "Root, OU or account ids the deny-root-user SCP is attached to, e.g. [\"ou-abcd-12345678\"]."
  type        = list(string)
}

variable "delegated_administrator_account_id" {
  description = "The IAM delegated administrator account (12 digits) where only the pipeline role may call sts:AssumeRoot."
  type        = string
  default     = "333333333333"
}

variable "pipeline_role_arns" {
  description = "The roles that may call sts:AssumeRoot in the delegated administrator account."
  type        = list(string)
  default     = ["arn:aws:iam::333333333333:role/root-access-pipeline"]
}
