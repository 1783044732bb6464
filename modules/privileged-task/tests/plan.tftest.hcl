# Plan-level checks of the request map. Every run is `command = plan`: task.py never runs.

run "one_instance_per_request_id" {
  command = plan

  variables {
    requests = {
      "CHG-1001" = { task = "unlock-s3-bucket-policy", account_id = "222222222222", buckets = ["locked-bucket"] }
      "CHG-1002" = { task = "allow-password-recovery", account_id = "444444444444" }
    }
  }

  assert {
    condition     = keys(terraform_data.this) == ["CHG-1001", "CHG-1002"]
    error_message = "requests are keyed by id"
  }

  assert {
    condition     = terraform_data.this["CHG-1001"].input.buckets[0] == "locked-bucket" && terraform_data.this["CHG-1001"].input.request_id == "CHG-1001"
    error_message = "each instance records its request"
  }
}

run "create_false_runs_nothing" {
  command = plan

  variables {
    create   = false
    requests = { "CHG-1" = { task = "allow-password-recovery", account_id = "444444444444" } }
  }

  assert {
    condition     = length(terraform_data.this) == 0 && length(output.request_ids) == 0
    error_message = "create = false runs no request"
  }
}

run "rejects_unknown_task" {
  command = plan

  variables {
    requests = { "CHG-1" = { task = "delete-root-credentials", account_id = "222222222222" } }
  }

  expect_failures = [var.requests]
}

run "rejects_malformed_account_id" {
  command = plan

  variables {
    requests = { "CHG-1" = { task = "allow-password-recovery", account_id = "22222222222x" } }
  }

  expect_failures = [var.requests]
}

run "rejects_s3_unlock_without_buckets" {
  command = plan

  variables {
    requests = { "CHG-1" = { task = "unlock-s3-bucket-policy", account_id = "222222222222" } }
  }

  expect_failures = [var.requests]
}

run "rejects_sqs_unlock_without_queues" {
  command = plan

  variables {
    requests = { "CHG-1" = { task = "unlock-sqs-queue-policy", account_id = "222222222222" } }
  }

  expect_failures = [var.requests]
}

run "rejects_buckets_on_another_task" {
  command = plan

  variables {
    requests = { "CHG-1" = { task = "allow-password-recovery", account_id = "222222222222", buckets = ["b"] } }
  }

  expect_failures = [var.requests]
}

run "rejects_request_id_with_spaces" {
  command = plan

  variables {
    requests = { "change 1" = { task = "allow-password-recovery", account_id = "222222222222" } }
  }

  expect_failures = [var.requests]
}
