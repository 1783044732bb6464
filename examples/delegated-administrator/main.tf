# Centralized root access run from the IAM delegated administrator (a security account):
# the management account only enables the features and registers the delegated
# administrator; the audit and the deletions run as the security account, which is where
# AWS recommends root-credential work to happen.

provider "aws" {
  alias = "management"

  region  = var.region
  profile = var.management_profile
}

provider "aws" {
  region  = var.region
  profile = var.delegated_administrator_profile
}

# The security account this configuration runs as (the default provider).
data "aws_caller_identity" "delegated_administrator" {}

module "organization_root_access" {
  source = "../../modules/organization-root-access"

  providers = {
    aws = aws.management
  }

  delegated_administrator_account_id = data.aws_caller_identity.delegated_administrator.account_id
  enable_trusted_access              = var.enable_trusted_access
  profile                            = var.management_profile
  region                             = var.region
  python_executable                  = var.python_executable
}

module "root_credentials_removal" {
  source = "../../modules/root-credentials-removal"

  selection         = var.selection
  evidence_path     = var.evidence_path
  profile           = var.delegated_administrator_profile
  region            = var.region
  python_executable = var.python_executable

  depends_on = [module.organization_root_access]
}

module "root_credentials_audit" {
  source = "../../modules/root-credentials-audit"

  selection         = var.selection
  profile           = var.delegated_administrator_profile
  region            = var.region
  python_executable = var.python_executable

  depends_on = [module.organization_root_access, module.root_credentials_removal]
}

# A second audit switched off: it runs nothing and its outputs are empty.
module "root_credentials_audit_disabled" {
  source = "../../modules/root-credentials-audit"

  create = false
}
