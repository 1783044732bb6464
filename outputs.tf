# Every description says what the output holds for each kind of account and in each audit
# result mode; tests/terraform/test_root_credentials_audit.py checks the audit outputs'
# claims against a scenario holding every kind of account.

output "organization_id" {
  description = "Id of the organization (o-…); null when create = false."
  value       = module.organization_root_access.organization_id
}

output "enabled_features" {
  description = "IAM organization features this configuration keeps enabled (the enabled_features input: RootCredentialsManagement, RootSessions); empty when create = false."
  value       = module.organization_root_access.enabled_features
}

output "delegated_administrator_account_id" {
  description = "12-digit id of the IAM delegated administrator this configuration registers (the delegated_administrator_account_id input); null when it registers none (one registered outside this configuration is not shown) or create = false."
  value       = module.organization_root_access.delegated_administrator_account_id
}

output "root_credentials" {
  description = "Full audit result mode: every account of the selection after this apply, keyed by 12-digit account id, audited or not (skipped, blocked and failed accounts included, each with its outcome and detail), as the engine's AccountResult.to_dict(). Compact mode: null (the records are in the file audit_report_path names). Empty map when create = false."
  value       = module.root_credentials_audit.accounts
}

output "accounts_with_root_credentials" {
  description = "Sorted 12-digit ids of the selected accounts whose audit after this apply found at least one root credential (password, access key, signing certificate or MFA device): e.g. dry_run, remove_root_credentials = false, credentials re-created since the removal, or a password-recovery request. An account that could not be audited (blocked by an SCP, SUSPENDED, …) is NOT listed, whatever its root user holds: see accounts_not_audited. Both result modes; empty when create = false."
  value       = module.root_credentials_audit.accounts_with_root_credentials
}

output "root_credential_kinds" {
  description = "For each account in accounts_with_root_credentials (and only those), keyed by 12-digit account id: the sorted kinds of root credential found, a non-empty subset of password, access_key, signing_certificate, mfa_device. Both result modes; empty when create = false."
  value       = module.root_credentials_audit.root_credential_kinds
}

output "accounts_not_audited" {
  description = "Every selected account whose root user the audit after this apply could not look into, so whether it holds root credentials is unknown, keyed by 12-digit account id: { outcome, reason }. outcome is skipped_management_account, skipped_inactive_account (SUSPENDED, PENDING_CLOSURE, …; reason names the state), blocked_by_scp, access_denied, throttled or error; reason is the engine's one-line detail. The check accounts_audited warns about each of them but the management account. Both result modes; empty when every account was audited or create = false."
  value       = module.root_credentials_audit.accounts_not_audited
}

output "audit_summary" {
  description = "Number of selected accounts per audit outcome after this apply (root_credentials_present, no_root_credentials, skipped_management_account, skipped_inactive_account, blocked_by_scp, access_denied, throttled, error; only outcomes that occurred), plus total (every account of the selection). Both result modes; empty when create = false."
  value       = module.root_credentials_audit.summary
}

output "audit_result_mode" {
  description = "Result mode the audit used: \"full\" (records in root_credentials) or \"compact\" (records only in the report file, root_credentials null); null when create = false."
  value       = module.root_credentials_audit.result_mode
}

output "audit_report_path" {
  description = "File the audit wrote its JSON Lines report to (one AccountResult.to_dict() per account of the selection, sorted by account id), as given, relative to Terraform's working directory: audit_report_path when set, else path.root/root-credentials-audit.jsonl in compact mode; null when no report was written (full mode without audit_report_path, or create = false)."
  value       = module.root_credentials_audit.report_path
}

output "audit_digest" {
  description = "SHA-256 (lowercase hex) of the audit report's JSON Lines (every account's record, one per line, sorted by account id): the sha256sum of the file audit_report_path names, computed in full mode too. It changes exactly when some account's record changes. null when create = false."
  value       = module.root_credentials_audit.digest
}

output "removal_id" {
  description = "Id of the last root-credential deletion run (a new id each time the deletion runs again); null when remove_root_credentials = false or create = false."
  value       = module.root_credentials_removal.id
}

output "privileged_task_request_ids" {
  description = "Sorted ids of the privileged-task requests this configuration has run (or runs at this apply): the keys of privileged_tasks; empty when create = false."
  value       = module.privileged_tasks.request_ids
}

output "pipeline_policies" {
  description = "Least-privilege IAM policy documents for the pipeline's role, keyed by mode (audit-only, delete, enable, unlock): the JSON text of policies/<mode>.json, for an aws_iam_policy. See policies/README.md for which mode needs which."
  value = {
    for name in fileset("${path.module}/policies", "*.json") :
    trimsuffix(name, ".json") => file("${path.module}/policies/${name}")
  }
}

output "scp_blocked_accounts" {
  description = "SCP lint of the audit (read before any AssumeRoot, Organizations reads only): every selected ACTIVE member account that a service control policy would block in the audit's or the removal's root sessions, keyed by 12-digit account id: { tasks, policy (\"<name> (<policy id>)\"), statement, fix }. Read at plan when nothing is pending, else after this apply (like the other audit outputs). An account whose SCPs could not be read is in scp_lint_unknown_accounts instead. Both result modes; empty when no account is blocked or create = false."
  value       = module.root_credentials_audit.scp_blocked_accounts
}

output "scp_lint_unknown_accounts" {
  description = "Sorted 12-digit ids of the selected ACTIVE member accounts whose SCPs the audit's lint could not read: whether an SCP blocks their root sessions is unknown, never clear. Both result modes; empty when every account was read or create = false."
  value       = module.root_credentials_audit.scp_lint_unknown_accounts
}
