# Guardrails after centralized root access is on: member root users can act only inside
# AssumeRoot sessions, and only the pipeline role may open those sessions from the IAM
# delegated administrator account. Run from the management account (SCPs are managed
# there); the management account itself is never subject to SCPs.

provider "aws" {
  region = var.region
}

module "root_guardrails" {
  source = "../../modules/root-guardrails"

  deny_root_user_target_ids = var.deny_root_user_target_ids

  create_restrict_assume_root_policy = true
  delegated_administrator_account_id = var.delegated_administrator_account_id
  pipeline_role_arns                 = var.pipeline_role_arns
  allowed_task_policies = {
    (var.pipeline_role_arns[0]) = ["IAMAuditRootUserCredentials", "IAMDeleteRootUserCredentials"]
  }
}

# The same module switched off: no policy.
module "root_guardrails_disabled" {
  source = "../../modules/root-guardrails"

  create = false
}
