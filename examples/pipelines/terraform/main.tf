# The landing-zone configuration the pipelines in ../github and ../gitlab run: centralized
# root access for the organization, deletion of every member's root credentials (the
# SCP-protected break-glass accounts excluded) and the evidence as a job artifact.
#
# In your repository: source = "git::https://github.com/<your-org>/root-access.git?ref=<tag>",
# and a backend so that plan, apply and the drift job share one state, for example
#
#   terraform {
#     backend "s3" {
#       bucket       = "<state-bucket>"
#       key          = "root-access/terraform.tfstate"
#       region       = "eu-west-1"
#       use_lockfile = true
#     }
#   }
#
# (the plan role then also needs read access to the state bucket, the apply role write).

provider "aws" {
  region = var.region
}

module "root_access" {
  source = "../../.."

  enabled_features                   = ["RootCredentialsManagement", "RootSessions"]
  delegated_administrator_account_id = var.delegated_administrator_account_id
  enable_trusted_access              = var.enable_trusted_access
  selection                          = var.selection
  remove_root_credentials            = true
  evidence_path                      = var.evidence_path
  python_executable                  = var.python_executable
  region                             = var.region
}
