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

output "accounts_not_audited" {
  description = "Per organization key: accounts whose root user the audit after this apply could not look into (whether they hold root credentials is unknown), keyed by 12-digit id: { outcome, reason }. Read it beside accounts_with_root_credentials: an account listed here is not clean, it is unknown."
  value = {
    first  = module.first_organization.accounts_not_audited
    second = module.second_organization.accounts_not_audited
  }
}

output "disabled_organization_id" {
  description = "Always null: the disabled instance reads nothing."
  value       = module.third_organization_disabled.organization_id
}
