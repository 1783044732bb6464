terraform {
  # check blocks of the root module need 1.5.
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
