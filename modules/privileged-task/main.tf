# One-shot privileged root tasks (password recovery, S3 bucket policy unlock, SQS queue
# policy unlock) through sts:AssumeRoot, keyed by request id: for_each gives every request
# its own terraform_data, whose local-exec runs only when that instance is created. A new
# id runs; an applied id never runs again (there is no triggers_replace on purpose: not
# even a new task.py re-runs old requests). A failed request makes task.py exit 1, the
# instance is tainted and the next apply retries it.

locals {
  task_script = "${path.module}/../../scripts/task.py"
}

resource "terraform_data" "this" {
  for_each = var.create ? var.requests : {}

  # Recorded in state for the audit trail; a change here never re-runs the task.
  input = merge(each.value, { request_id = each.key })

  provisioner "local-exec" {
    interpreter = [var.python_executable]
    command     = local.task_script
    environment = {
      ROOT_ACCESS_REQUEST = jsonencode({
        request_id    = each.key
        task          = each.value.task
        account_id    = each.value.account_id
        buckets       = each.value.buckets
        queue_urls    = each.value.queue_urls
        dry_run       = each.value.dry_run
        evidence_path = var.evidence_path
        region        = var.region
        profile       = var.profile
      })
    }
  }
}
