# Plan-level checks: the selection's validation and the typed outputs decoded from the
# external program's string map (EXT-STRINGS-ONLY), with the external provider mocked
# so no script runs.

mock_provider "external" {
  mock_data "external" {
    defaults = {
      result = {
        accounts              = "{\"222222222222\":{\"account_id\":\"222222222222\",\"outcome\":\"root_credentials_present\",\"summary\":{\"password_present\":true,\"access_keys_present\":false,\"signing_certificates_present\":false,\"mfa_enabled\":false}},\"444444444444\":{\"account_id\":\"444444444444\",\"outcome\":\"no_root_credentials\",\"summary\":null}}"
        with_root_credentials = "[\"222222222222\"]"
        summary               = "{\"no_root_credentials\":1,\"root_credentials_present\":1,\"total\":2}"
      }
    }
  }
}

run "decodes_typed_outputs" {
  command = plan

  variables {
    selection = { accounts = ["222222222222", "444444444444"] }
  }

  assert {
    condition     = output.accounts_with_root_credentials[0] == "222222222222" && length(output.accounts_with_root_credentials) == 1
    error_message = "with_root_credentials is decoded to a list"
  }

  assert {
    condition     = output.summary.total == 2 && output.summary.root_credentials_present == 1
    error_message = "summary is decoded to numbers"
  }

  assert {
    condition     = output.accounts["222222222222"].summary.password_present == true
    error_message = "booleans inside the posture stay booleans"
  }

  assert {
    condition     = join(",", output.account_ids) == "222222222222,444444444444"
    error_message = "account_ids lists every audited account"
  }
}

run "sends_lists_json_encoded_and_drops_null_values" {
  command = plan

  variables {
    selection   = { organizational_units = ["ou-abcd-11111111"], exclude_accounts = ["444444444444"] }
    max_workers = 4
  }

  assert {
    condition     = data.external.this[0].query.organizational_units == "[\"ou-abcd-11111111\"]" && data.external.this[0].query.exclude_accounts == "[\"444444444444\"]" && data.external.this[0].query.all == "false" && data.external.this[0].query.max_workers == "4"
    error_message = "the query is a flat map of strings"
  }
}

run "create_false_runs_nothing" {
  command = plan

  variables {
    create = false
  }

  assert {
    condition     = length(data.external.this) == 0 && length(output.accounts_with_root_credentials) == 0 && length(output.accounts) == 0
    error_message = "create = false reads nothing and outputs are empty"
  }
}

run "rejects_malformed_account_id" {
  command = plan

  variables {
    selection = { accounts = ["2222222222222"] }
  }

  expect_failures = [var.selection]
}

run "rejects_malformed_organizational_unit" {
  command = plan

  variables {
    selection = { organizational_units = ["Workloads"] }
  }

  expect_failures = [var.selection]
}

run "rejects_empty_selection" {
  command = plan

  variables {
    selection = { exclude_accounts = ["444444444444"] }
  }

  expect_failures = [var.selection]
}

run "rejects_all_with_accounts" {
  command = plan

  variables {
    selection = { all = true, accounts = ["222222222222"] }
  }

  expect_failures = [var.selection]
}

run "rejects_max_workers_out_of_range" {
  command = plan

  variables {
    max_workers = 0
  }

  expect_failures = [var.max_workers]
}

run "rejects_empty_python_executable" {
  command = plan

  variables {
    python_executable = " "
  }

  expect_failures = [var.python_executable]
}

run "sends_detail_in_the_query" {
  command = plan

  variables {
    detail = "full"
  }

  assert {
    condition     = data.external.this[0].query.detail == "full"
    error_message = "detail reaches scripts/audit.py as the query key detail"
  }
}

run "rejects_unknown_detail" {
  command = plan

  variables {
    detail = "deep"
  }

  expect_failures = [var.detail]
}
