# Centralized root access for an organization: trusted access for IAM (checked, or
# enabled through the engine on request), the two IAM organization features and the IAM
# delegated administrator. Run with the management account's credentials.
#
# Never manage aws_organizations_organization here: it owns the whole trusted-access list
# (aws_service_access_principals) and would fight every other stack that adds a principal.

locals {
  iam_service_principal = "iam.amazonaws.com"
  task_script           = "${path.module}/../../scripts/task.py"
  # Referencing enabled_features orders the reads below after its validation: a bad
  # feature list stops the plan before any Organizations call.
  read = var.create && length(var.enabled_features) > 0
}

data "aws_caller_identity" "current" {
  count = local.read ? 1 : 0
}

data "aws_organizations_organization" "this" {
  count = local.read ? 1 : 0
}

resource "terraform_data" "trusted_access" {
  count = var.create && var.enable_trusted_access ? 1 : 0

  # Re-run only for another organization or another script; enabling is idempotent.
  triggers_replace = {
    organization_id = data.aws_organizations_organization.this[0].id
    script          = filesha256(local.task_script)
  }

  provisioner "local-exec" {
    # No shell: the interpreter gets the script path as its only argument and the
    # request through the environment, so no input is interpolated into a command line.
    interpreter = [var.python_executable]
    command     = local.task_script
    environment = {
      ROOT_ACCESS_REQUEST = jsonencode({
        task    = "enable-trusted-access"
        region  = var.region
        profile = var.profile
      })
    }
  }

  lifecycle {
    precondition {
      condition     = data.aws_caller_identity.current[0].account_id == data.aws_organizations_organization.this[0].master_account_id
      error_message = "Enabling trusted access for iam.amazonaws.com needs the management account (${data.aws_organizations_organization.this[0].master_account_id}); the aws provider runs as ${data.aws_caller_identity.current[0].account_id}."
    }
  }
}

resource "aws_iam_organizations_features" "this" {
  count = var.create ? 1 : 0

  enabled_features = var.enabled_features

  depends_on = [terraform_data.trusted_access]

  lifecycle {
    # Destroying this resource disables the features for the whole organization.
    # No variable can switch this guard: see README "Turning the features off".
    prevent_destroy = true

    precondition {
      condition     = data.aws_caller_identity.current[0].account_id == data.aws_organizations_organization.this[0].master_account_id
      error_message = "Enabling RootCredentialsManagement/RootSessions needs the management account (${data.aws_organizations_organization.this[0].master_account_id}); the aws provider runs as ${data.aws_caller_identity.current[0].account_id}. Give this module a provider for the management account."
    }

    precondition {
      condition     = data.aws_organizations_organization.this[0].feature_set == "ALL"
      error_message = "The organization uses feature set ${data.aws_organizations_organization.this[0].feature_set}: centralized root access needs all features (Organizations console > Settings > Enable all features)."
    }

    precondition {
      condition     = var.enable_trusted_access || contains(data.aws_organizations_organization.this[0].aws_service_access_principals, local.iam_service_principal)
      error_message = "Trusted access for iam.amazonaws.com is not enabled in organization ${data.aws_organizations_organization.this[0].id}: run `aws organizations enable-aws-service-access --service-principal iam.amazonaws.com` from the management account, or set enable_trusted_access = true."
    }
  }
}

resource "aws_organizations_delegated_administrator" "this" {
  count = var.create && var.delegated_administrator_account_id != null ? 1 : 0

  account_id        = var.delegated_administrator_account_id
  service_principal = local.iam_service_principal

  depends_on = [terraform_data.trusted_access]

  lifecycle {
    precondition {
      condition     = var.delegated_administrator_account_id != data.aws_organizations_organization.this[0].master_account_id
      error_message = "delegated_administrator_account_id ${var.delegated_administrator_account_id} is the management account: choose a member account (AWS recommends a security account)."
    }
  }
}
