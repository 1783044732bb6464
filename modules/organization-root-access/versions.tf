terraform {
  # terraform_data (trusted access through the engine) needs 1.4.
  required_version = ">= 1.4"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # aws_iam_organizations_features appeared in 5.78 (hashicorp/terraform-provider-aws#40164).
      version = ">= 5.78"
    }
  }
}
