output "deny_root_user_policy_id" {
  description = "Id (p-...) of the deny-root-user SCP."
  value       = module.root_guardrails.deny_root_user_policy_id
}

output "restrict_assume_root_policy_id" {
  description = "Id (p-...) of the restrict-AssumeRoot SCP."
  value       = module.root_guardrails.restrict_assume_root_policy_id
}

output "attached_target_ids" {
  description = "Where each SCP is attached."
  value       = module.root_guardrails.attached_target_ids
}

output "disabled_policy_id" {
  description = "Always null: the disabled instance creates nothing."
  value       = module.root_guardrails_disabled.deny_root_user_policy_id
}
