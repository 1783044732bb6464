output "delegated_administrator_account_id" {
  description = "The security account registered as IAM delegated administrator."
  value       = module.organization_root_access.delegated_administrator_account_id
}

output "enabled_features" {
  description = "IAM organization features enabled."
  value       = module.organization_root_access.enabled_features
}

output "accounts_with_root_credentials" {
  description = "Member accounts whose root user still holds credentials after this apply."
  value       = module.root_credentials_audit.accounts_with_root_credentials
}

output "accounts_not_audited" {
  description = "Accounts whose root user the audit after this apply could not look into (whether they hold root credentials is unknown), keyed by 12-digit id: { outcome, reason }. Read it beside accounts_with_root_credentials: an account listed here is not clean, it is unknown."
  value       = module.root_credentials_audit.accounts_not_audited
}

output "audit_summary" {
  description = "Accounts per audit outcome after this apply."
  value       = module.root_credentials_audit.summary
}

output "disabled_audit_accounts" {
  description = "Always empty: the disabled audit runs nothing."
  value       = module.root_credentials_audit_disabled.accounts
}
