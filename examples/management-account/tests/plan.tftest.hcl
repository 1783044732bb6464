# The example planned against mocked providers (terraform test, Terraform >= 1.7):
# everything it would create, and its disabled instance planning nothing.

mock_provider "aws" {
  mock_data "aws_caller_identity" {
    defaults = { account_id = "111111111111" }
  }

  mock_data "aws_organizations_organization" {
    defaults = {
      id                            = "o-exampleorg1"
      master_account_id             = "111111111111"
      feature_set                   = "ALL"
      aws_service_access_principals = []
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

run "plans_the_whole_flow" {
  command = plan

  assert {
    condition     = length(module.root_access.enabled_features) == 2
    error_message = "both features are planned"
  }

  assert {
    condition     = output.delegated_administrator_account_id == "333333333333"
    error_message = "the security account is registered as delegated administrator"
  }

  assert {
    condition     = output.disabled_organization_id == null
    error_message = "the disabled instance reads nothing"
  }
}

# The root module's drift check (checks.tf) reads the audit, which Terraform defers to the
# apply while something is pending; terraform test fails a plan whose check is unknown, so
# the audit gets known outputs here.
override_module {
  target  = module.root_access.module.root_credentials_audit
  outputs = { accounts = {}, accounts_with_root_credentials = [], root_credential_kinds = {}, accounts_not_audited = {}, summary = { total = 0 }, account_ids = [] }
}
