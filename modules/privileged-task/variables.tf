variable "create" {
  description = "Master switch: false runs no request."
  type        = bool
  default     = true
}

variable "requests" {
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
    condition     = alltrue([for id in keys(var.requests) : can(regex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$", id))])
    error_message = "requests keys (request ids) must be 1-64 characters of letters, digits, '.', '_' or '-', starting with a letter or digit, e.g. \"CHG-1234\"."
  }

  validation {
    condition     = alltrue([for request in values(var.requests) : contains(["allow-password-recovery", "unlock-s3-bucket-policy", "unlock-sqs-queue-policy"], request.task)])
    error_message = "requests[*].task must be one of allow-password-recovery, unlock-s3-bucket-policy, unlock-sqs-queue-policy."
  }

  validation {
    condition     = alltrue([for request in values(var.requests) : can(regex("^[0-9]{12}$", request.account_id))])
    error_message = "requests[*].account_id must be a 12-digit account id string, e.g. \"222222222222\"."
  }

  validation {
    condition     = alltrue([for request in values(var.requests) : request.task != "unlock-s3-bucket-policy" || length(request.buckets) > 0])
    error_message = "requests with task unlock-s3-bucket-policy need a non-empty buckets list (bucket names)."
  }

  validation {
    condition     = alltrue([for request in values(var.requests) : request.task != "unlock-sqs-queue-policy" || length(request.queue_urls) > 0])
    error_message = "requests with task unlock-sqs-queue-policy need a non-empty queue_urls list (https://sqs.<region>.amazonaws.com/<account>/<name>)."
  }

  validation {
    condition     = alltrue([for request in values(var.requests) : (request.task == "unlock-s3-bucket-policy" || length(request.buckets) == 0) && (request.task == "unlock-sqs-queue-policy" || length(request.queue_urls) == 0)])
    error_message = "requests: buckets belong only to unlock-s3-bucket-policy and queue_urls only to unlock-sqs-queue-policy."
  }

  validation {
    condition     = alltrue(flatten([for request in values(var.requests) : [for bucket in request.buckets : can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", bucket))]]))
    error_message = "requests[*].buckets take S3 bucket names: 3-63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit."
  }

  validation {
    condition     = alltrue(flatten([for request in values(var.requests) : [for url in request.queue_urls : can(regex("^https?://[^/?#@]+/${request.account_id}/[A-Za-z0-9_-]{1,80}(\\.fifo)?/?$", url))]]))
    error_message = "requests[*].queue_urls must be queue URLs of the request's own account_id: https://sqs.<region>.amazonaws.com/<account_id>/<queue>."
  }
}

variable "evidence_path" {
  description = "File the engine appends the per-request results to (JSON lines; the removed policy documents are kept as evidence), relative to Terraform's working directory; null writes none."
  type        = string
  default     = null

  validation {
    condition     = try(length(trimspace(var.evidence_path)) > 0, true)
    error_message = "evidence_path must be a file path such as \"evidence/privileged-tasks.jsonl\", or null."
  }
}
variable "python_executable" {
  description = "Python interpreter (name on PATH or absolute path) that runs scripts/task.py at apply; it needs boto3 >= 1.40. Set it when python3 is not on the runner's PATH."
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
