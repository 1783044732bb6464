# Read-only audit of the root user of every selected member account. The external data
# source runs on every plan and refresh, so scripts/audit.py only reads AWS (one
# IAMAuditRootUserCredentials session per account) and prints one flat JSON object of
# strings; nested data arrives JSON-encoded and is decoded here.
#
# Result modes (var.result_mode): a full result carries every account's record into the
# plan and state; a compact one carries counts, the ids that need action and a digest,
# and the script writes the records to a JSON Lines report instead. "auto" is compact
# above root_access.rules.COMPACT_ABOVE accounts (1,000).

locals {
  audit_script = "${path.module}/../../scripts/audit.py"

  # Where a compact result's report goes when report_path is null: beside the root
  # module, relative to Terraform's working directory like every path the script gets.
  default_report_path = "${path.root}/root-credentials-audit.jsonl"
}

data "external" "this" {
  count = var.create ? 1 : 0

  program = [var.python_executable, local.audit_script]

  # The external protocol carries strings only; null values are dropped.
  query = {
    accounts                     = jsonencode(var.selection.accounts)
    organizational_units         = jsonencode(var.selection.organizational_units)
    exclude_accounts             = jsonencode(var.selection.exclude_accounts)
    exclude_organizational_units = jsonencode(var.selection.exclude_organizational_units)
    all                          = tostring(var.selection.all)
    max_workers                  = tostring(var.max_workers)
    detail                       = var.detail
    region                       = var.region
    profile                      = var.profile
    result_mode                  = var.result_mode
    report_path                  = var.report_path
    default_report_path          = local.default_report_path
    fail_on                      = jsonencode(var.fail_on)
  }

  lifecycle {
    # Opt-in drift gate (var.fail_on): scripts/audit.py evaluates the named conditions
    # with the engine's one rule (root_access.drift) and returns the lines of those that
    # held; here only "is that list empty" is asked.
    postcondition {
      condition     = length(jsondecode(try(self.result.fail_on_held, "[]"))) == 0
      error_message = "The audit found drift that fail_on names: ${join("; ", jsondecode(try(self.result.fail_on_held, "[]")))}. present: delete the root credentials (the root-credentials-removal module, or remove_root_credentials on the root module); not-audited: see accounts_not_audited for each account's outcome and reason (exclude an account once its state is accepted); or drop the condition from fail_on (audit_fail_on on the root module)."
    }
  }
}

locals {
  # The program's flat map of strings; outputs jsondecode it (null when create = false).
  result  = try(data.external.this[0].result, null)
  compact = try(local.result.result_mode == "compact", false)
}

# The SCP lint (scripts/audit.py, key scp_lint): warn at plan, before any AssumeRoot,
# about each account an SCP would block in root sessions, naming the policy and the fix.
# A check never fails the plan.
locals {
  scp_blocked = try(jsondecode(local.result.scp_lint).blocked, {})
  scp_blocked_listed = [
    for account_id in slice(sort(keys(local.scp_blocked)), 0, min(10, length(local.scp_blocked))) :
    "${account_id} (${join(", ", local.scp_blocked[account_id].tasks)} blocked by SCP ${local.scp_blocked[account_id].policy}, statement ${local.scp_blocked[account_id].statement}: ${local.scp_blocked[account_id].fix})"
  ]
}

check "scp_blocked_accounts" {
  assert {
    condition     = length(local.scp_blocked) == 0
    error_message = "${length(local.scp_blocked)} selected account(s) would be blocked in root sessions by a service control policy: ${join("; ", local.scp_blocked_listed)}${length(local.scp_blocked) > 10 ? "; and ${length(local.scp_blocked) - 10} more" : ""}. Every one is in the output scp_blocked_accounts. Exempt root sessions in that statement, or exclude the account (selection.exclude_accounts); the removal's skip_scp_blocked = true reports them as blocked_by_scp without trying."
  }
}
