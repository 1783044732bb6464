terraform {
  # terraform test with mock_provider (tests/*.tftest.hcl) needs 1.7.
  required_version = ">= 1.7"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.0"
    }
  }
}
