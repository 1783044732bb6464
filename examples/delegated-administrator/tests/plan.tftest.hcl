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
