terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 6.0"
    }
  }
}

variable "profile" {
  description = "Named profile of the provider."
  type        = string
}

provider "aws" {
  region  = "us-east-1"
  profile = var.profile
}

data "aws_caller_identity" "current" {}
