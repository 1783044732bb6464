# One output with every output of the root module: the pipelines' summary step
# (../audit_summary.py) reads audit_summary, accounts_with_root_credentials,
# root_credentials and accounts_not_audited from it in the plan's JSON.
output "root_access" {
  description = "Every output of the root module (audit summary, accounts with root credentials, pipeline_policies, …)."
  value       = module.root_access
}
