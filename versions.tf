terraform {
  # terraform_data needs 1.4 (the modules' floor); terraform test with mock_provider needs 1.7.
  required_version = ">= 1.4"

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
