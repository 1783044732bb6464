output "organization_id" {
  description = "Id of the organization."
  value       = module.root_access.organization_id
}

output "enabled_features" {
  description = "IAM organization features enabled."
  value       = module.root_access.enabled_features
}

output "delegated_administrator_account_id" {
  description = "Registered IAM delegated administrator."
  value       = module.root_access.delegated_administrator_account_id
}

output "accounts_with_root_credentials" {
  description = "Member accounts whose root user still holds credentials after this apply."
  value       = module.root_access.accounts_with_root_credentials
}

output "accounts_not_audited" {
  description = "Accounts whose root user the audit after this apply could not look into (whether they hold root credentials is unknown), keyed by 12-digit id: { outcome, reason }. Read it beside accounts_with_root_credentials: an account listed here is not clean, it is unknown."
  value       = module.root_access.accounts_not_audited
}

output "audit_summary" {
  description = "Accounts per audit outcome after this apply."
  value       = module.root_access.audit_summary
}

output "disabled_organization_id" {
  description = "Always null: the disabled instance reads nothing."
  value       = module.root_access_disabled.organization_id
}
