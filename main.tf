# Centralized root access for one organization, as a landing-zone pipeline applies it
# with the management account's credentials:
#   1. trusted access for IAM (checked, or enabled through the engine), the two IAM
#      organization features and the IAM delegated administrator;
#   2. optionally, deletion of the root credentials of every selected member account;
#   3. one-shot privileged root tasks keyed by request id, after 2 (a deletion finishing
#      last would undo a password recovery for an account it also selects);
#   4. a read-only audit of the selection, read after 1-3 so the outputs show the result.
# The modules have no provider blocks: the caller configures the aws provider.

module "organization_root_access" {
  source = "./modules/organization-root-access"

  create                             = var.create
  enabled_features                   = var.enabled_features
  delegated_administrator_account_id = var.delegated_administrator_account_id
  enable_trusted_access              = var.enable_trusted_access
  python_executable                  = var.python_executable
  profile                            = var.profile
  region                             = var.region
}

module "root_credentials_removal" {
  source = "./modules/root-credentials-removal"

  create             = var.create && var.remove_root_credentials
  selection          = var.selection
  dry_run            = var.dry_run
  delete_virtual_mfa = var.delete_virtual_mfa
  skip_scp_blocked   = var.skip_scp_blocked
  evidence_path      = var.evidence_path
  python_executable  = var.python_executable
  profile            = var.profile
  region             = var.region
  max_workers        = var.max_workers
  detail             = var.detail

  depends_on = [module.organization_root_access]
}

module "privileged_tasks" {
  source = "./modules/privileged-task"

  create            = var.create
  requests          = var.privileged_tasks
  evidence_path     = var.evidence_path
  python_executable = var.python_executable
  profile           = var.profile
  region            = var.region

  # After the removal: a password-recovery request for an account the removal also
  # selects would otherwise race it, and a deletion finishing last undoes the recovery.
  depends_on = [module.organization_root_access, module.root_credentials_removal]
}

module "root_credentials_audit" {
  source = "./modules/root-credentials-audit"

  create            = var.create
  selection         = var.selection
  python_executable = var.python_executable
  profile           = var.profile
  region            = var.region
  max_workers       = var.max_workers
  result_mode       = var.audit_result_mode
  report_path       = var.audit_report_path
  detail            = var.detail
  fail_on           = var.audit_fail_on

  # Read at plan when nothing is pending; otherwise at apply, after the deletions, so the
  # outputs (and a plan right after this apply) show the organization as it now is.
  depends_on = [
    module.organization_root_access,
    module.root_credentials_removal,
    module.privileged_tasks,
  ]
}
