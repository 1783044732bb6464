# The Terraform path of the benchmarks (benchmarks/terraform_path.py copies this next to
# modules/ and scripts/): plan reads (audit data source, scope listing), apply removes.
# The audit keeps its default result mode (auto: compact above 1,000 accounts) and always
# writes its report, from which the benchmark counts the accounts the plan audited.
variable "python_executable" {
  description = "Interpreter with boto3 and root_access for the entry scripts."
  type        = string
  default     = "python3"
}

module "root_credentials_audit" {
  source = "../modules/root-credentials-audit"

  selection         = { all = true }
  python_executable = var.python_executable
  report_path       = "audit.jsonl"
}

module "root_credentials_removal" {
  source = "../modules/root-credentials-removal"

  selection         = { all = true }
  python_executable = var.python_executable
  evidence_path     = "evidence.jsonl"
}

output "summary" {
  description = "The audit's counts per outcome."
  value       = module.root_credentials_audit.summary
}

output "result_mode" {
  description = "The audit's result mode (full or compact)."
  value       = module.root_credentials_audit.result_mode
}

output "digest" {
  description = "SHA-256 of the audit report."
  value       = module.root_credentials_audit.digest
}
