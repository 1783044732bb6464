# Plan-level checks: validation, and what triggers a new deletion run. The external
# provider (scope listing) is mocked, and every run is `command = plan`, so delete.py
# never runs here.

mock_provider "external" {
  mock_data "external" {
    defaults = {
      result = {
        account_ids = "[\"111111111111\",\"222222222222\"]"
      }
    }
  }
}

run "triggers_hold_request_scope_script_and_engine" {
  command = plan

  variables {
    selection     = { all = true }
    evidence_path = "evidence/root.jsonl"
  }

  assert {
    condition     = join(",", terraform_data.this[0].triggers_replace.scope) == "111111111111,222222222222"
    error_message = "the accounts in scope are a trigger"
  }

  assert {
    condition     = terraform_data.this[0].triggers_replace.script == filesha256("${path.module}/../../scripts/delete.py")
    error_message = "the script hash is a trigger"
  }

  assert {
    condition     = terraform_data.this[0].triggers_replace.request.all == true && terraform_data.this[0].triggers_replace.request.dry_run == false && terraform_data.this[0].triggers_replace.request.evidence_path == "evidence/root.jsonl"
    error_message = "the request (selection and options) is a trigger"
  }

  assert {
    condition     = can(regex("^[0-9]+\\.[0-9]+", terraform_data.this[0].triggers_replace.engine))
    error_message = "the engine version is a trigger"
  }
}

run "create_false_plans_nothing" {
  command = plan

  variables {
    create    = false
    selection = { all = true }
  }

  assert {
    condition     = length(terraform_data.this) == 0 && length(data.external.scope) == 0 && output.id == null
    error_message = "create = false plans nothing"
  }
}

run "rejects_empty_selection" {
  command = plan

  variables {
    selection = {}
  }

  expect_failures = [var.selection]
}

run "rejects_malformed_excluded_account" {
  command = plan

  variables {
    selection = { all = true, exclude_accounts = ["abc"] }
  }

  expect_failures = [var.selection]
}

run "rejects_blank_evidence_path" {
  command = plan

  variables {
    selection     = { all = true }
    evidence_path = "  "
  }

  expect_failures = [var.evidence_path]
}

run "request_carries_detail_summary_by_default" {
  command = plan

  variables {
    selection = { all = true }
  }

  assert {
    condition     = terraform_data.this[0].triggers_replace.request.detail == "summary"
    error_message = "the verification mode is part of the request, summary by default"
  }
}

run "rejects_unknown_detail" {
  command = plan

  variables {
    selection = { all = true }
    detail    = "deep"
  }

  expect_failures = [var.detail]
}
