terraform {
  required_version = ">= 1.4"

  required_providers {
    external = {
      source = "hashicorp/external"
      # 2.3.2 stopped sending "" for null query values (terraform-provider-external#208, #210).
      version = ">= 2.3"
    }
  }
}
