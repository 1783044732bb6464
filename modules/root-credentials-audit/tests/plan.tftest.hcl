# Plan-level checks: the selection's validation and the typed outputs decoded from the
# external program's string map (EXT-STRINGS-ONLY), with the external provider mocked
# so no script runs.

mock_provider "external" {
  mock_data "external" {
    defaults = {
      result = {
        accounts              = "{\"222222222222\":{\"account_id\":\"222222222222\",\"outcome\":\"root_credentials_present\",\"summary\":{\"password_present\":true,\"access_keys_present\":false,\"signing_certificates_present\":false,\"mfa_enabled\":false}},\"444444444444\":{\"account_id\":\"444444444444\",\"outcome\":\"no_root_credentials\",\"summary\":null}}"
        with_root_credentials = "[\"222222222222\"]"
        root_credential_kinds = "{\"222222222222\":[\"password\"]}"
        not_audited           = "{}"
        summary               = "{\"no_root_credentials\":1,\"root_credentials_present\":1,\"total\":2}"
        result_mode           = "full"
        digest                = "0f1e"
        report_path           = ""
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

run "compact_result_has_no_records" {
  command = plan

  override_data {
    target = data.external.this[0]
    values = {
      result = {
        with_root_credentials = "[\"222222222222\"]"
        root_credential_kinds = "{\"222222222222\":[\"access_key\",\"password\"]}"
        not_audited           = "{\"555555555555\":{\"outcome\":\"blocked_by_scp\",\"reason\":\"denied\"}}"
        summary               = "{\"blocked_by_scp\":1,\"root_credentials_present\":1,\"total\":2}"
        result_mode           = "compact"
        digest                = "0f1e"
        report_path           = "./root-credentials-audit.jsonl"
      }
    }
  }

  variables {
    result_mode = "compact"
  }

  assert {
    condition     = output.accounts == null && output.account_ids == null && output.result_mode == "compact"
    error_message = "a compact result has no per-account records: null, not empty"
  }

  assert {
    condition     = output.accounts_not_audited["555555555555"].outcome == "blocked_by_scp" && output.root_credential_kinds["222222222222"] == ["access_key", "password"]
    error_message = "the ids that need action are decoded in compact mode"
  }

  assert {
    condition     = output.report_path == "./root-credentials-audit.jsonl" && output.digest == "0f1e"
    error_message = "report path and digest are passed through"
  }

  assert {
    condition     = data.external.this[0].query.result_mode == "compact" && data.external.this[0].query.default_report_path == "./root-credentials-audit.jsonl" && try(data.external.this[0].query.report_path, null) == null
    error_message = "the query names the mode and the default report path; a null report_path is dropped"
  }
}

run "full_result_without_report_path_has_null_report_path" {
  command = plan

  assert {
    condition     = output.report_path == null && output.result_mode == "full" && length(output.accounts_not_audited) == 0
    error_message = "an empty report_path from the program is null"
  }
}

run "rejects_unknown_result_mode" {
  command = plan

  variables {
    result_mode = "summary"
  }

  expect_failures = [var.result_mode]
}

run "rejects_blank_report_path" {
  command = plan

  variables {
    report_path = " "
  }

  expect_failures = [var.report_path]
}

run "create_false_runs_nothing" {
  command = plan

  variables {
    create = false
  }

  assert {
    condition     = length(data.external.this) == 0 && length(output.accounts_with_root_credentials) == 0 && length(output.accounts) == 0 && length(output.accounts_not_audited) == 0 && output.result_mode == null && output.digest == null && output.report_path == null
    error_message = "create = false reads nothing and outputs are empty or null"
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
