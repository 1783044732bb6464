variable "region" {
  description = "AWS Region of the provider and of the engine's STS clients (SQS queues are unlocked in their own Region)."
  type        = string
  default     = "us-east-1"
}

variable "requests" {
  description = "Break-glass requests keyed by request id (see modules/privileged-task)."
  type = map(object({
    task       = string
    account_id = string
    buckets    = optional(list(string), [])
    queue_urls = optional(list(string), [])
    dry_run    = optional(bool, false)
  }))
  default = {
    "INC-0001" = {
      task       = "unlock-s3-bucket-policy"
      account_id = "222222222222"
      buckets    = ["locked-bucket"]
    }
    "INC-0002" = {
      task       = "unlock-sqs-queue-policy"
      account_id = "222222222222"
      queue_urls = ["https://sqs.us-east-1.amazonaws.com/222222222222/locked-queue"]
    }
  }
}

variable "evidence_path" {
  description = "JSON-lines evidence (the removed policies), relative to the working directory."
  type        = string
  default     = "evidence/break-glass.jsonl"
}

variable "python_executable" {
  description = "Python interpreter with boto3 that runs the engine scripts."
  type        = string
  default     = "python3"
}
