# Plan-level checks of the root module (terraform test from the repository root reads
# tests/*.tftest.hcl): variable validation and how the modules are composed, with mocked
# providers, so no engine script runs.

mock_provider "aws" {
  mock_data "aws_caller_identity" {
    defaults = { account_id = "111111111111" }
  }

  mock_data "aws_organizations_organization" {
    defaults = {
      id                            = "o-exampleorg1"
      master_account_id             = "111111111111"
      feature_set                   = "ALL"
      aws_service_access_principals = ["iam.amazonaws.com"]
    }
  }
}

mock_provider "external" {
  mock_data "external" {
    defaults = {
      result = {
        account_ids           = "[\"111111111111\",\"222222222222\"]"
        accounts              = "{}"
        with_root_credentials = "[]"
        summary               = "{\"total\":0}"
      }
    }
  }
}

# The checks (checks.tf) read the audit, which Terraform defers to the apply while
# something is pending (here the features); terraform test fails a plan whose check is
# unknown, so the audit gets known outputs (runs below override them where they test it).
override_module {
  target  = module.root_credentials_audit
  outputs = { accounts = {}, accounts_with_root_credentials = [], root_credential_kinds = {}, accounts_not_audited = {}, summary = { total = 0 }, account_ids = [] }
}

run "audits_only_by_default" {
  command = plan

  variables {
    evidence_path = "evidence/root-access.jsonl"
  }

  assert {
    condition     = output.removal_id == null && module.root_credentials_removal.evidence_path == null
    error_message = "remove_root_credentials defaults to false: nothing is deleted"
  }

  assert {
    condition     = length(output.enabled_features) == 2
    error_message = "both features are enabled by default"
  }

  assert {
    condition     = output.pipeline_policies["delete"] == file("policies/delete.json") && length(output.pipeline_policies) == 4
    error_message = "pipeline_policies ships policies/*.json keyed by mode"
  }
}

run "removal_is_planned_when_asked" {
  command = plan

  # The drift check (checks.tf) reads the audit, deferred to the apply while the removal
  # is pending; terraform test fails a plan whose check is unknown: give it known outputs.
  override_module {
    target  = module.root_credentials_audit
    outputs = { accounts = {}, accounts_with_root_credentials = [], root_credential_kinds = {}, accounts_not_audited = {}, summary = { total = 0 }, account_ids = [] }
  }

  variables {
    remove_root_credentials = true
    selection               = { all = true, exclude_accounts = ["555555555555"] }
    evidence_path           = "evidence/root-access.jsonl"
  }

  assert {
    condition     = module.root_credentials_removal.evidence_path == "evidence/root-access.jsonl" && module.root_credentials_removal.dry_run == false
    error_message = "the removal is planned with the pipeline's options"
  }
}

run "create_false_plans_nothing" {
  command = plan

  variables {
    create                  = false
    remove_root_credentials = true
    privileged_tasks        = { "CHG-1" = { task = "allow-password-recovery", account_id = "222222222222" } }
  }

  assert {
    condition     = output.organization_id == null && output.removal_id == null && length(output.privileged_task_request_ids) == 0
    error_message = "create = false switches every module off"
  }
}

run "rejects_unknown_feature" {
  command = plan

  variables {
    enabled_features = ["RootSessions", "RootUser"]
  }

  expect_failures = [var.enabled_features]
}

run "rejects_malformed_selection" {
  command = plan

  variables {
    selection = { accounts = ["2222"] }
  }

  expect_failures = [var.selection]
}

run "rejects_unknown_privileged_task" {
  command = plan

  variables {
    privileged_tasks = { "CHG-1" = { task = "close-account", account_id = "222222222222" } }
  }

  expect_failures = [var.privileged_tasks]
}

run "rejects_malformed_bucket_name" {
  command = plan

  variables {
    privileged_tasks = { "CHG-1" = { task = "unlock-s3-bucket-policy", account_id = "222222222222", buckets = ["Bad_Bucket"] } }
  }

  expect_failures = [var.privileged_tasks]
}

run "rejects_queue_url_of_another_account" {
  command = plan

  variables {
    privileged_tasks = { "CHG-1" = { task = "unlock-sqs-queue-policy", account_id = "222222222222", queue_urls = ["https://sqs.eu-west-1.amazonaws.com/333333333333/q"] } }
  }

  expect_failures = [var.privileged_tasks]
}

run "rejects_max_workers_above_range" {
  command = plan

  variables {
    max_workers = 65
  }

  expect_failures = [var.max_workers]
}

# Drift (checks.tf): the audit after the apply still finds root credentials in an account
# the removal ran for. The audit module is overridden so its outputs are known at plan.
run "reappeared_root_credentials_warn" {
  command = plan

  variables {
    remove_root_credentials = true
  }

  override_module {
    target = module.root_credentials_audit
    outputs = {
      accounts                       = { "222222222222" = { summary = { access_keys_present = false, signing_certificates_present = false } } }
      accounts_with_root_credentials = ["222222222222"]
      root_credential_kinds          = { "222222222222" = ["password"] }
      accounts_not_audited           = {}
      summary                        = { root_credentials_present = 1, total = 1 }
      account_ids                    = ["222222222222"]
    }
  }

  expect_failures = [check.root_credentials_removed]
}

# ... but not in a dry run, which leaves every credential in place on purpose ...
run "dry_run_does_not_warn" {
  command = plan

  variables {
    remove_root_credentials = true
    dry_run                 = true
  }

  override_module {
    target = module.root_credentials_audit
    outputs = {
      accounts                       = { "222222222222" = { summary = { access_keys_present = true, signing_certificates_present = false } } }
      accounts_with_root_credentials = ["222222222222"]
      root_credential_kinds          = { "222222222222" = ["access_key", "password"] }
      accounts_not_audited           = {}
      summary                        = { root_credentials_present = 1, total = 1 }
      account_ids                    = ["222222222222"]
    }
  }
}

# ... nor for an account whose login profile a password-recovery request put there.
run "recovered_password_does_not_warn" {
  command = plan

  variables {
    remove_root_credentials = true
    privileged_tasks        = { "CHG-1" = { task = "allow-password-recovery", account_id = "222222222222" } }
  }

  override_module {
    target = module.root_credentials_audit
    outputs = {
      accounts                       = { "222222222222" = { summary = { access_keys_present = false, signing_certificates_present = false } } }
      accounts_with_root_credentials = ["222222222222"]
      root_credential_kinds          = { "222222222222" = ["password"] }
      accounts_not_audited           = {}
      summary                        = { root_credentials_present = 1, total = 1 }
      account_ids                    = ["222222222222"]
    }
  }
}

# ... unless that account also holds an access key.
run "recovered_account_with_an_access_key_warns" {
  command = plan

  variables {
    remove_root_credentials = true
    privileged_tasks        = { "CHG-1" = { task = "allow-password-recovery", account_id = "222222222222" } }
  }

  override_module {
    target = module.root_credentials_audit
    outputs = {
      accounts                       = { "222222222222" = { summary = { access_keys_present = true, signing_certificates_present = false } } }
      accounts_with_root_credentials = ["222222222222"]
      root_credential_kinds          = { "222222222222" = ["access_key", "password"] }
      accounts_not_audited           = {}
      summary                        = { root_credentials_present = 1, total = 1 }
      account_ids                    = ["222222222222"]
    }
  }

  expect_failures = [check.root_credentials_removed]
}

# Compact result mode: no per-account records (accounts null); the check reads only
# root_credential_kinds, so a recovered password still does not warn.
run "recovered_password_does_not_warn_in_compact_mode" {
  command = plan

  variables {
    remove_root_credentials = true
    audit_result_mode       = "compact"
    privileged_tasks        = { "CHG-1" = { task = "allow-password-recovery", account_id = "222222222222" } }
  }

  override_module {
    target = module.root_credentials_audit
    outputs = {
      accounts                       = null
      accounts_with_root_credentials = ["222222222222"]
      root_credential_kinds          = { "222222222222" = ["password"] }
      accounts_not_audited           = {}
      summary                        = { root_credentials_present = 1, total = 1 }
      account_ids                    = null
      result_mode                    = "compact"
    }
  }

  assert {
    condition     = output.root_credentials == null && output.audit_result_mode == "compact"
    error_message = "a compact audit passes null records through"
  }
}

# Blind spots (checks.tf): an account in scope that could not be audited warns, in
# audit-only pipelines too ...
run "account_not_audited_warns" {
  command = plan

  override_module {
    target = module.root_credentials_audit
    outputs = {
      accounts                       = {}
      accounts_with_root_credentials = []
      root_credential_kinds          = {}
      accounts_not_audited = {
        "111111111111" = { outcome = "skipped_management_account", reason = "the management account is outside centralized root access" }
        "777777777777" = { outcome = "skipped_inactive_account", reason = "state SUSPENDED" }
      }
      summary     = { skipped_management_account = 1, skipped_inactive_account = 1, total = 2 }
      account_ids = ["111111111111", "777777777777"]
    }
  }

  expect_failures = [check.accounts_audited]
}

# ... but not the management account alone, outside centralized root access by design.
run "management_account_alone_does_not_warn" {
  command = plan

  override_module {
    target = module.root_credentials_audit
    outputs = {
      accounts                       = {}
      accounts_with_root_credentials = []
      root_credential_kinds          = {}
      accounts_not_audited           = { "111111111111" = { outcome = "skipped_management_account", reason = "the management account is outside centralized root access" } }
      summary                        = { skipped_management_account = 1, total = 1 }
      account_ids                    = ["111111111111"]
    }
  }
}

run "rejects_unknown_audit_result_mode" {
  command = plan

  variables {
    audit_result_mode = "minimal"
  }

  expect_failures = [var.audit_result_mode]
}

run "rejects_unknown_detail" {
  command = plan

  variables {
    detail = "deep"
  }

  expect_failures = [var.detail]
}
