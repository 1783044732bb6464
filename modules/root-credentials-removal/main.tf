# Deletes the root credentials (password, access keys, signing certificates, MFA
# devices) of the selected member accounts through sts:AssumeRoot with the
# IAMDeleteRootUserCredentials task policy, at apply only (terraform_data + local-exec).
#
# When it runs again (triggers_replace): a changed request (selection or options), a
# changed set of accounts in scope (e.g. an invited account joined the selected OU), a
# changed delete.py, or another engine version. A failed account makes delete.py exit 1:
# the resource is tainted and the next apply runs it again (the deletion is idempotent).
# With evidence_path, that re-apply resumes: the journal is keyed by the request's digest
# and an unchanged request works only on the accounts not recorded as done (delete.py
# says how many it skipped); a changed request starts afresh.
# Credentials re-created later in an account already in scope do not re-trigger by
# themselves: the audit module reports them; run `terraform apply -replace=<address>`.

locals {
  audit_script  = "${path.module}/../../scripts/audit.py"
  delete_script = "${path.module}/../../scripts/delete.py"
  engine_init   = "${path.module}/../../src/root_access/__init__.py"

  # skip_scp_blocked joins the request only when true, so the default leaves the request
  # (and so triggers_replace and the resume digest) as it was before the option existed.
  request = merge(local.request_base, var.skip_scp_blocked ? { skip_scp_blocked = true } : {})

  request_base = {
    task                         = "delete-root-credentials"
    accounts                     = var.selection.accounts
    organizational_units         = var.selection.organizational_units
    exclude_accounts             = var.selection.exclude_accounts
    exclude_organizational_units = var.selection.exclude_organizational_units
    all                          = var.selection.all
    dry_run                      = var.dry_run
    delete_virtual_mfa           = var.delete_virtual_mfa
    detail                       = var.detail
    evidence_path                = var.evidence_path
    max_workers                  = var.max_workers
    region                       = var.region
    profile                      = var.profile
  }
}

# Read-only (Organizations listing, no AssumeRoot): the accounts the selection resolves to.
data "external" "scope" {
  count = var.create ? 1 : 0

  program = [var.python_executable, local.audit_script]

  query = {
    scope_only                   = "true"
    accounts                     = jsonencode(var.selection.accounts)
    organizational_units         = jsonencode(var.selection.organizational_units)
    exclude_accounts             = jsonencode(var.selection.exclude_accounts)
    exclude_organizational_units = jsonencode(var.selection.exclude_organizational_units)
    all                          = tostring(var.selection.all)
    region                       = var.region
    profile                      = var.profile
  }
}

resource "terraform_data" "this" {
  count = var.create ? 1 : 0

  triggers_replace = {
    request = local.request
    scope   = jsondecode(data.external.scope[0].result.account_ids)
    script  = filesha256(local.delete_script)
    engine  = regex("__version__ = \"([^\"]+)\"", file(local.engine_init))[0]
  }

  provisioner "local-exec" {
    # No shell: the interpreter gets the script path as its only argument and the
    # request through the environment.
    interpreter = [var.python_executable]
    command     = local.delete_script
    environment = {
      ROOT_ACCESS_REQUEST = jsonencode(local.request)
    }
  }
}
