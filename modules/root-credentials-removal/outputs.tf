output "id" {
  description = "Id of the last run (changes each time the deletion runs again); null when create = false."
  value       = try(terraform_data.this[0].id, null)
}

output "account_ids" {
  description = "Sorted 12-digit ids of the accounts the selection resolved to at plan time (management and inactive accounts included; they are skipped)."
  value       = try(jsondecode(data.external.scope[0].result.account_ids), [])
}

output "evidence_path" {
  description = "File holding the per-account results of the last run (JSON lines), or null."
  value       = var.create ? var.evidence_path : null
}

output "dry_run" {
  description = "True when the last run only reported what it would delete."
  value       = var.create && var.dry_run
}
