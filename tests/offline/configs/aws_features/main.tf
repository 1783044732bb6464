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
}

provider "aws" {}

resource "aws_iam_organizations_features" "this" {
  enabled_features = var.enabled_features
}

output "id" {
  description = "Organization id."
  value       = aws_iam_organizations_features.this.id
}
