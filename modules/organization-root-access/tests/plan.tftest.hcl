# Plan-level checks of variable validation and preconditions, against a mocked aws
# provider (terraform test, Terraform >= 1.7). Every run is `command = plan`: nothing runs.

mock_provider "aws" {
  mock_data "aws_caller_identity" {
    defaults = {
      account_id = "111111111111"
      arn        = "arn:aws:iam::111111111111:user/pipeline"
    }
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

run "plans_features_and_delegated_administrator" {
  command = plan

  variables {
    delegated_administrator_account_id = "333333333333"
  }

  assert {
    condition     = aws_iam_organizations_features.this[0].enabled_features == toset(["RootCredentialsManagement", "RootSessions"])
    error_message = "both features are enabled by default"
  }

  assert {
    condition     = aws_organizations_delegated_administrator.this[0].service_principal == "iam.amazonaws.com"
    error_message = "the delegated administrator is registered for iam.amazonaws.com"
  }

  assert {
    condition     = length(terraform_data.trusted_access) == 0
    error_message = "trusted access is not touched unless enable_trusted_access is set"
  }
}

run "create_false_plans_nothing" {
  command = plan

  variables {
    create                             = false
    delegated_administrator_account_id = "333333333333"
  }

  assert {
    condition     = length(aws_iam_organizations_features.this) == 0 && length(aws_organizations_delegated_administrator.this) == 0
    error_message = "create = false plans no resource"
  }

  assert {
    condition     = output.organization_id == null && length(output.enabled_features) == 0
    error_message = "outputs still plan with create = false"
  }
}

run "rejects_empty_features" {
  command = plan

  variables {
    enabled_features = []
  }

  expect_failures = [var.enabled_features]
}

run "rejects_unknown_feature" {
  command = plan

  variables {
    enabled_features = ["RootCredentialsManagement", "rootsessions"]
  }

  expect_failures = [var.enabled_features]
}

run "rejects_malformed_delegated_administrator" {
  command = plan

  variables {
    delegated_administrator_account_id = "33333333333"
  }

  expect_failures = [var.delegated_administrator_account_id]
}

run "rejects_region_that_is_not_a_region" {
  command = plan

  variables {
    region = "Ireland"
  }

  expect_failures = [var.region]
}

run "stops_when_trusted_access_is_missing" {
  command = plan

  override_data {
    target = data.aws_organizations_organization.this[0]
    values = {
      id                            = "o-exampleorg1"
      master_account_id             = "111111111111"
      feature_set                   = "ALL"
      aws_service_access_principals = ["sso.amazonaws.com"]
    }
  }

  expect_failures = [aws_iam_organizations_features.this]
}

run "enable_trusted_access_lifts_the_precondition" {
  command = plan

  override_data {
    target = data.aws_organizations_organization.this[0]
    values = {
      id                            = "o-exampleorg1"
      master_account_id             = "111111111111"
      feature_set                   = "ALL"
      aws_service_access_principals = []
    }
  }

  variables {
    enable_trusted_access = true
  }

  assert {
    condition     = length(terraform_data.trusted_access) == 1
    error_message = "enable_trusted_access plans the engine run"
  }
}

run "stops_when_not_the_management_account" {
  command = plan

  override_data {
    target = data.aws_caller_identity.current[0]
    values = {
      account_id = "333333333333"
    }
  }

  expect_failures = [aws_iam_organizations_features.this]
}

run "stops_without_all_features" {
  command = plan

  override_data {
    target = data.aws_organizations_organization.this[0]
    values = {
      id                            = "o-exampleorg1"
      master_account_id             = "111111111111"
      feature_set                   = "CONSOLIDATED_BILLING"
      aws_service_access_principals = ["iam.amazonaws.com"]
    }
  }

  expect_failures = [aws_iam_organizations_features.this]
}

run "delegated_administrator_cannot_be_the_management_account" {
  command = plan

  variables {
    delegated_administrator_account_id = "111111111111"
  }

  expect_failures = [aws_organizations_delegated_administrator.this]
}
