output "caller_account_id" {
  description = "Account the unlocks ran from."
  value       = data.aws_caller_identity.current.account_id
}

output "request_ids" {
  description = "Break-glass requests applied."
  value       = module.break_glass.request_ids
}

output "disabled_request_ids" {
  description = "Always empty: the disabled instance runs nothing."
  value       = module.break_glass_disabled.request_ids
}
