# Drift visibility. The removal runs again only when its request, its scope, delete.py or
# the engine changes (see docs/terraform.md), not when root credentials re-appear in an
# account already in scope. This check turns such an account, found by the audit read
# after the apply (or at plan when nothing is pending), into a warning that says how to
# finish. A check never fails the plan or the apply.

locals {
  # A password-recovery request leaves a login profile on purpose: such an account is
  # reported only when it also holds an access key or a signing certificate.
  password_recovery_accounts = toset([
    for request in values(var.privileged_tasks) : request.account_id
    if request.task == "allow-password-recovery" && !request.dry_run
  ])

  root_credentials_left = [
    for account_id in module.root_credentials_audit.accounts_with_root_credentials : account_id
    if !contains(local.password_recovery_accounts, account_id) || try(
      module.root_credentials_audit.accounts[account_id].summary.access_keys_present ||
      module.root_credentials_audit.accounts[account_id].summary.signing_certificates_present,
      true
    )
  ]
}

check "root_credentials_removed" {
  assert {
    condition     = var.create && var.remove_root_credentials && !var.dry_run ? length(local.root_credentials_left) == 0 : true
    error_message = "Root credentials are back in ${length(local.root_credentials_left)} account(s) the removal already ran for: ${join(", ", local.root_credentials_left)}. The removal does not re-run by itself; to delete them run: terraform apply -replace='module.root_credentials_removal.terraform_data.this[0]' (prefix the address with this module's path when it is called as a child module, e.g. module.root_access.)."
  }
}
