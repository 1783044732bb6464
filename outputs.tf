output "organization_id" {
  description = "Id of the organization (o-…); null when create = false."
  value       = module.organization_root_access.organization_id
}

output "enabled_features" {
  description = "IAM organization features enabled by this configuration (RootCredentialsManagement, RootSessions)."
  value       = module.organization_root_access.enabled_features
}

output "delegated_administrator_account_id" {
  description = "12-digit id of the registered IAM delegated administrator; null when none."
  value       = module.organization_root_access.delegated_administrator_account_id
}

output "root_credentials" {
  description = "Per-account root-user posture after this apply, keyed by 12-digit account id (the engine's AccountResult.to_dict())."
  value       = module.root_credentials_audit.accounts
}

output "accounts_with_root_credentials" {
  description = "Sorted ids of the selected accounts whose root user still holds credentials (e.g. blocked by an SCP, or dry_run)."
  value       = module.root_credentials_audit.accounts_with_root_credentials
}

output "audit_summary" {
  description = "Number of selected accounts per audit outcome, plus total."
  value       = module.root_credentials_audit.summary
}

output "removal_id" {
  description = "Id of the last root-credential deletion run; null when remove_root_credentials = false."
  value       = module.root_credentials_removal.id
}

output "privileged_task_request_ids" {
  description = "Ids of the privileged-task requests applied."
  value       = module.privileged_tasks.request_ids
}

output "pipeline_policies" {
  description = "Least-privilege IAM policy documents for the pipeline's role, keyed by mode (audit-only, delete, enable, unlock): the JSON text of policies/<mode>.json, for an aws_iam_policy. See policies/README.md for which mode needs which."
  value = {
    for name in fileset("${path.module}/policies", "*.json") :
    trimsuffix(name, ".json") => file("${path.module}/policies/${name}")
  }
}
