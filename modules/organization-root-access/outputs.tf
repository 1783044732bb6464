output "organization_id" {
  description = "Id of the organization (o-…), also the import id of aws_iam_organizations_features; null when create = false."
  value       = try(data.aws_organizations_organization.this[0].id, null)
}

output "management_account_id" {
  description = "12-digit id of the organization's management account; null when create = false."
  value       = try(data.aws_organizations_organization.this[0].master_account_id, null)
}

output "enabled_features" {
  description = "IAM organization features this module keeps enabled (set of RootCredentialsManagement, RootSessions); empty when create = false."
  value       = try(aws_iam_organizations_features.this[0].enabled_features, toset([]))
}

output "delegated_administrator_account_id" {
  description = "12-digit id of the registered IAM delegated administrator; null when none."
  value       = try(aws_organizations_delegated_administrator.this[0].account_id, null)
}

output "trusted_access_enabled_by_module" {
  description = "True when this module enabled trusted access for iam.amazonaws.com through the engine (enable_trusted_access)."
  value       = length(terraform_data.trusted_access) > 0
}
