output "organization_ids" {
  description = "Organization id per organization key."
  value = {
    first  = module.first_organization.organization_id
    second = module.second_organization.organization_id
  }
}

output "enabled_features" {
  description = "IAM organization features enabled per organization key."
  value = {
    first  = module.first_organization.enabled_features
    second = module.second_organization.enabled_features
  }
}

output "accounts_with_root_credentials" {
  description = "Member accounts still holding root credentials after this apply, per organization key."
  value = {
    first  = module.first_organization.accounts_with_root_credentials
    second = module.second_organization.accounts_with_root_credentials
  }
}

output "disabled_organization_id" {
  description = "Always null: the disabled instance reads nothing."
  value       = module.third_organization_disabled.organization_id
}
