# The example planned against mocked providers: the management alias enables the features
# and registers the account the default provider runs as.

mock_provider "aws" {
  mock_data "aws_caller_identity" {
    defaults = { account_id = "333333333333" }
  }
}

mock_provider "aws" {
  alias = "management"

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
        account_ids           = "[\"222222222222\"]"
        accounts              = "{}"
        with_root_credentials = "[]"
        summary               = "{\"total\":0}"
      }
    }
  }
}

# The audit module's SCP check reads the audit, which Terraform defers to the apply while
# the features are pending; terraform test fails a plan whose check is unknown, so the
# audit gets known outputs.
override_module {
  target  = module.root_credentials_audit
  outputs = { accounts = {}, accounts_with_root_credentials = [], root_credential_kinds = {}, accounts_not_audited = {}, summary = { total = 0 }, account_ids = [], scp_blocked_accounts = {}, scp_lint_unknown_accounts = [] }
}

run "registers_the_account_it_runs_as" {
  command = plan

  assert {
    condition     = output.delegated_administrator_account_id == "333333333333"
    error_message = "the default provider's account becomes the delegated administrator"
  }

  assert {
    condition     = length(output.disabled_audit_accounts) == 0
    error_message = "the disabled audit runs nothing"
  }
}
