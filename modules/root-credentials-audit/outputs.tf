output "accounts" {
  description = "Per-account posture keyed by 12-digit account id: the engine's AccountResult.to_dict() (account_id, name, state, outcome, detail, credentials, summary, compliance, …); empty when create = false."
  value       = try(jsondecode(local.result.accounts), {})
}

output "accounts_with_root_credentials" {
  description = "Sorted 12-digit ids of the selected accounts whose root user holds a password, access key, signing certificate or MFA device."
  value       = try(jsondecode(local.result.with_root_credentials), [])
}

output "summary" {
  description = "Number of accounts per outcome (root_credentials_present, no_root_credentials, skipped_*, blocked_by_scp, access_denied, throttled, error) plus total."
  value       = try(jsondecode(local.result.summary), {})
}

output "account_ids" {
  description = "Sorted 12-digit ids of every account in the selection, skipped ones included."
  value       = try(sort(keys(jsondecode(local.result.accounts))), [])
}
