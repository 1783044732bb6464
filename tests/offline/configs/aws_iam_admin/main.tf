terraform {
  required_version = ">= 1.7"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 6.0"
    }
  }
}

provider "aws" {}

data "aws_organizations_organization" "this" {}

resource "aws_organizations_delegated_administrator" "iam" {
  account_id        = "333333333333"
  service_principal = "iam.amazonaws.com"

  lifecycle {
    precondition {
      condition     = contains(data.aws_organizations_organization.this.aws_service_access_principals, "iam.amazonaws.com")
      error_message = "Enable trusted access for iam.amazonaws.com first."
    }
  }
}

output "delegated_administrator" {
  description = "The registration."
  value       = aws_organizations_delegated_administrator.iam
}
