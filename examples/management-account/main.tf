# A landing-zone pipeline in the management account: turn on centralized root access,
# register the security account as IAM delegated administrator, delete the root
# credentials of every member account and keep the evidence.

provider "aws" {
  region = var.region
}

module "root_access" {
  source = "../.."

  enabled_features                   = ["RootCredentialsManagement", "RootSessions"]
  delegated_administrator_account_id = var.delegated_administrator_account_id
  enable_trusted_access              = var.enable_trusted_access
  selection                          = var.selection
  remove_root_credentials            = true
  evidence_path                      = var.evidence_path
  python_executable                  = var.python_executable
  region                             = var.region
}

# The same configuration switched off: it reads nothing and creates nothing.
module "root_access_disabled" {
  source = "../.."

  create = false
}
