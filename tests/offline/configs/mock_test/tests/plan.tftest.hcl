mock_provider "aws" {
  mock_data "aws_organizations_organization" {
    defaults = {
      id                            = "o-exampleorg"
      aws_service_access_principals = ["iam.amazonaws.com"]
    }
  }
}

run "enables_both_features" {
  command = plan

  assert {
    condition     = aws_iam_organizations_features.this.enabled_features == toset(["RootCredentialsManagement", "RootSessions"])
    error_message = "both features are planned"
  }
}

run "trusted_access_missing" {
  command = plan

  override_data {
    target = data.aws_organizations_organization.this
    values = {
      aws_service_access_principals = []
    }
  }

  expect_failures = [aws_iam_organizations_features.this]
}
