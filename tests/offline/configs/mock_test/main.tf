terraform {
  required_version = ">= 1.7"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 6.0"
    }
  }
}

variable "enabled_features" {
  description = "Root access features to enable."
  type        = set(string)
  default     = ["RootCredentialsManagement", "RootSessions"]
}

data "aws_organizations_organization" "this" {}

resource "aws_iam_organizations_features" "this" {
  enabled_features = var.enabled_features

  lifecycle {
    precondition {
      condition     = contains(data.aws_organizations_organization.this.aws_service_access_principals, "iam.amazonaws.com")
      error_message = "Enable trusted access for iam.amazonaws.com first."
    }
  }
}

output "organization_id" {
  description = "Organization id."
  value       = aws_iam_organizations_features.this.id
}
