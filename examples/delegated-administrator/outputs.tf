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

output "audit_summary" {
  description = "Accounts per audit outcome after this apply."
  value       = module.root_credentials_audit.summary
}

output "disabled_audit_accounts" {
  description = "Always empty: the disabled audit runs nothing."
  value       = module.root_credentials_audit_disabled.accounts
}
