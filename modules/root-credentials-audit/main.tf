# Read-only audit of the root user of every selected member account. The external data
# source runs on every plan and refresh, so scripts/audit.py only reads (one
# IAMAuditRootUserCredentials session per account) and prints one flat JSON object of
# strings; nested data arrives JSON-encoded and is decoded here.

locals {
  audit_script = "${path.module}/../../scripts/audit.py"
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
  }
}

locals {
  # The program's flat map of strings; outputs jsondecode it (null when create = false).
  result = try(data.external.this[0].result, null)
}
