# Drift and blind-spot visibility. The removal runs again only when its request, its
# scope, delete.py or the engine changes (see docs/terraform.md), not when root
# credentials re-appear in an account already in scope. The checks below turn what the
# audit read after the apply (or at plan when nothing is pending) found into warnings
# that say how to finish: root credentials back in an account the removal ran for, and
# accounts in scope whose root user could not be audited at all (unknown is never
# "none"). A check never fails the plan or the apply. Both work in either audit result
# mode: they read only the outputs a compact result keeps.

locals {
  # A password-recovery request leaves a login profile on purpose: such an account is
  # reported only when it also holds an access key or a signing certificate.
  password_recovery_accounts = toset([
    for request in values(var.privileged_tasks) : request.account_id
    if request.task == "allow-password-recovery" && !request.dry_run
  ])

  root_credentials_left = [
    for account_id in module.root_credentials_audit.accounts_with_root_credentials : account_id
    if !contains(local.password_recovery_accounts, account_id) || length(setintersection(
      try(module.root_credentials_audit.root_credential_kinds[account_id], ["access_key"]),
      ["access_key", "signing_certificate"]
    )) > 0
  ]

  # The management account is outside centralized root access by design (never assumed
  # into); every other account the audit could not look into is a blind spot.
  not_audited_in_scope = {
    for account_id, account in module.root_credentials_audit.accounts_not_audited : account_id => account
    if account.outcome != "skipped_management_account"
  }
  not_audited_listed = [
    for account_id in slice(sort(keys(local.not_audited_in_scope)), 0, min(20, length(local.not_audited_in_scope))) :
    "${account_id} (${local.not_audited_in_scope[account_id].outcome}: ${local.not_audited_in_scope[account_id].reason})"
  ]
}

check "root_credentials_removed" {
  assert {
    condition     = var.create && var.remove_root_credentials && !var.dry_run ? length(local.root_credentials_left) == 0 : true
    error_message = "Root credentials are back in ${length(local.root_credentials_left)} account(s) the removal already ran for: ${join(", ", local.root_credentials_left)}. The removal does not re-run by itself; to delete them run: terraform apply -replace='module.root_credentials_removal.terraform_data.this[0]' (prefix the address with this module's path when it is called as a child module, e.g. module.root_access.)."
  }
}

check "accounts_audited" {
  assert {
    condition     = var.create ? length(local.not_audited_in_scope) == 0 : true
    error_message = "${length(local.not_audited_in_scope)} selected account(s) could not be audited, so whether their root user holds credentials is unknown (they are not in accounts_with_root_credentials): ${join("; ", local.not_audited_listed)}${length(local.not_audited_in_scope) > 20 ? "; and ${length(local.not_audited_in_scope) - 20} more" : ""}. Every one is in the output accounts_not_audited. blocked_by_scp: exempt root sessions in that SCP (a Null condition on aws:AssumedRoot); access_denied: allow sts:AssumeRoot for the audit task policy; throttled or error: plan again; skipped_inactive_account: the engine assumes into ACTIVE accounts only; exclude the account (selection.exclude_accounts) once its state is accepted."
  }
}
