# One pipeline, two organizations: the root module applied once per organization through
# provider aliases. Each instance's engine scripts use the same named profile as its
# provider, so both sides act on the same organization.

provider "aws" {
  alias = "first"

  region  = var.region
  profile = var.organizations.first.profile
}

provider "aws" {
  alias = "second"

  region  = var.region
  profile = var.organizations.second.profile
}

module "first_organization" {
  source = "../.."

  providers = {
    aws = aws.first
  }

  delegated_administrator_account_id = var.organizations.first.delegated_administrator_account_id
  enable_trusted_access              = true
  selection                          = var.organizations.first.selection
  remove_root_credentials            = true
  evidence_path                      = "${var.evidence_directory}/first.jsonl"
  profile                            = var.organizations.first.profile
  region                             = var.region
  python_executable                  = var.python_executable
}

module "second_organization" {
  source = "../.."

  providers = {
    aws = aws.second
  }

  delegated_administrator_account_id = var.organizations.second.delegated_administrator_account_id
  enable_trusted_access              = true
  selection                          = var.organizations.second.selection
  remove_root_credentials            = true
  evidence_path                      = "${var.evidence_directory}/second.jsonl"
  profile                            = var.organizations.second.profile
  region                             = var.region
  python_executable                  = var.python_executable
}

# A third organization prepared but switched off: it reads nothing and creates nothing.
module "third_organization_disabled" {
  source = "../.."

  providers = {
    aws = aws.second
  }

  create = false
}
