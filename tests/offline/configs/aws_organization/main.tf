terraform {
  required_version = ">= 1.7"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 6.0"
    }
  }
}

variable "delegated_administrator" {
  description = "Account id to register."
  type        = string
}

variable "service_principal" {
  description = "Service to delegate."
  type        = string
}

provider "aws" {
  region                      = "us-east-1"
  skip_region_validation      = true
  skip_requesting_account_id  = false
  skip_credentials_validation = false
}

data "aws_caller_identity" "current" {}

data "aws_organizations_organization" "this" {}

resource "aws_organizations_delegated_administrator" "this" {
  account_id        = var.delegated_administrator
  service_principal = var.service_principal
}

output "caller_account_id" {
  description = "Caller account."
  value       = data.aws_caller_identity.current.account_id
}

output "organization" {
  description = "The organization data source."
  value       = data.aws_organizations_organization.this
}

output "delegated_administrator" {
  description = "The registration."
  value       = aws_organizations_delegated_administrator.this
}
