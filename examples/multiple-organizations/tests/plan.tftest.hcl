# The example planned against mocked providers: two organizations through aliases.

mock_provider "aws" {
  alias = "first"

  mock_data "aws_caller_identity" {
    defaults = { account_id = "111111111111" }
  }

  mock_data "aws_organizations_organization" {
    defaults = {
      id                            = "o-firstorg01"
      master_account_id             = "111111111111"
      feature_set                   = "ALL"
      aws_service_access_principals = []
    }
  }
}

mock_provider "aws" {
  alias = "second"

  mock_data "aws_caller_identity" {
    defaults = { account_id = "900000000000" }
  }

  mock_data "aws_organizations_organization" {
    defaults = {
      id                            = "o-secondorg1"
      master_account_id             = "900000000000"
      feature_set                   = "ALL"
      aws_service_access_principals = []
    }
  }
}

mock_provider "external" {
  mock_data "external" {
    defaults = {
      result = {
        account_ids           = "[]"
        accounts              = "{}"
        with_root_credentials = "[]"
        summary               = "{\"total\":0}"
      }
    }
  }
}

run "one_instance_per_organization" {
  command = plan

  assert {
    condition     = output.organization_ids.first == "o-firstorg01" && output.organization_ids.second == "o-secondorg1"
    error_message = "each alias reads its own organization"
  }

  assert {
    condition     = output.disabled_organization_id == null
    error_message = "the disabled instance reads nothing"
  }
}

run "needs_both_organization_keys" {
  command = plan

  variables {
    organizations = { first = { profile = "first-management" } }
  }

  expect_failures = [var.organizations]
}

# The root module's drift check (checks.tf) reads the audit, which Terraform defers to the
# apply while something is pending; terraform test fails a plan whose check is unknown, so
# each instance's audit gets known outputs here.
override_module {
  target  = module.first_organization.module.root_credentials_audit
  outputs = { accounts = {}, accounts_with_root_credentials = [], root_credential_kinds = {}, accounts_not_audited = {}, summary = { total = 0 }, account_ids = [] }
}

override_module {
  target  = module.second_organization.module.root_credentials_audit
  outputs = { accounts = {}, accounts_with_root_credentials = [], root_credential_kinds = {}, accounts_not_audited = {}, summary = { total = 0 }, account_ids = [] }
}
