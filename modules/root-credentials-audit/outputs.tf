# Every description says what the output holds for each kind of account (credentials
# found, none found, not audited, the management account) and in each result mode;
# tests/terraform/test_root_credentials_audit.py checks them against a scenario holding
# every kind.

output "result_mode" {
  description = "Result mode the audit used: \"full\" (per-account records in accounts and account_ids) or \"compact\" (records only in the report file; accounts and account_ids are null). null when create = false."
  value       = try(local.result.result_mode, null)
}

output "accounts" {
  description = "Full result mode: every account of the selection keyed by 12-digit account id, audited or not (skipped, blocked and failed accounts included, each with its outcome and detail), as the engine's AccountResult.to_dict() (account_id, name, state, outcome, detail, credentials, summary, compliance, …). Compact result mode: null (the records are in the file report_path names). Empty map when create = false."
  value       = try(jsondecode(local.result.accounts), local.compact ? null : {})
}

output "account_ids" {
  description = "Full result mode: sorted 12-digit ids of every account of the selection, audited or not (the keys of accounts). Compact result mode: null (the ids are in the report file). Empty list when create = false."
  value       = try(sort(keys(jsondecode(local.result.accounts))), local.compact ? null : [])
}

output "accounts_with_root_credentials" {
  description = "Sorted 12-digit ids of the selected accounts whose audit found at least one root credential (password, access key, signing certificate or MFA device), in both result modes. An account that could not be audited is NOT listed, whatever its root user holds: it is in accounts_not_audited. Empty when create = false."
  value       = try(jsondecode(local.result.with_root_credentials), [])
}

output "root_credential_kinds" {
  description = "For each account in accounts_with_root_credentials (and only those), keyed by 12-digit account id: the sorted kinds of root credential found, a non-empty subset of password, access_key, signing_certificate, mfa_device. Both result modes; empty when create = false."
  value       = try(jsondecode(local.result.root_credential_kinds), {})
}

output "accounts_not_audited" {
  description = "Every selected account whose root user the audit could not look into, so whether it holds root credentials is unknown, keyed by 12-digit account id: { outcome, reason }. outcome is skipped_management_account (never assumed into), skipped_inactive_account (SUSPENDED, PENDING_CLOSURE, …; reason names the state), blocked_by_scp, access_denied, throttled or error; reason is the engine's one-line detail. Both result modes; empty when every account was audited or create = false."
  value       = try(jsondecode(local.result.not_audited), {})
}

output "summary" {
  description = "Number of selected accounts per audit outcome (root_credentials_present, no_root_credentials, skipped_management_account, skipped_inactive_account, blocked_by_scp, access_denied, throttled, error; only outcomes that occurred), plus total (every account of the selection). Both result modes; empty when create = false."
  value       = try(jsondecode(local.result.summary), {})
}

output "report_path" {
  description = "File the audit wrote its JSON Lines report to (one AccountResult.to_dict() per account of the selection, sorted by account id), as given, relative to Terraform's working directory: report_path when set, else path.root/root-credentials-audit.jsonl in compact mode; null when no report was written (full mode without report_path, or create = false)."
  value       = try(local.result.report_path != "" ? local.result.report_path : null, null)
}

output "digest" {
  description = "SHA-256 (lowercase hex) of the report's JSON Lines: every account's record, one per line, sorted by account id. Equal to the sha256sum of the file report_path names; computed in full mode too (over the lines a report would hold). It changes exactly when some account's record changes. null when create = false."
  value       = try(local.result.digest, null)
}

output "scp_blocked_accounts" {
  description = "SCP lint, read before any AssumeRoot (Organizations reads only): every selected ACTIVE member account that a service control policy would block in the audit's or the removal's root sessions, keyed by 12-digit account id: { tasks (sorted task policy names it blocks: IAMAuditRootUserCredentials, IAMDeleteRootUserCredentials), policy (\"<name> (<policy id>)\" of the first blocking SCP), statement (its Sid, else #<index>), fix (the condition to add and where) }. An account whose SCPs could not be read is not listed here but in scp_lint_unknown_accounts. Both result modes; empty when no account is blocked or create = false."
  value       = try(jsondecode(local.result.scp_lint).blocked, {})
}

output "scp_lint_unknown_accounts" {
  description = "Sorted 12-digit ids of the selected ACTIVE member accounts whose SCPs the lint could not read (access denied, throttled, unreadable document): whether an SCP blocks their root sessions is unknown, never clear. Both result modes; empty when every account was read or create = false."
  value       = try(jsondecode(local.result.scp_lint).unknown, [])
}
