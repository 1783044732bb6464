terraform {
  # check blocks (checks.tf) need 1.5 (the modules need 1.4, for terraform_data);
  # terraform test with mock_provider needs 1.7.
  required_version = ">= 1.5"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.78"
    }
    external = {
      source  = "hashicorp/external"
      version = ">= 2.3"
    }
  }
}
