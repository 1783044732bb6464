output "deny_root_user_policy_id" {
  description = "Id (p-...) of the deny-root-user SCP; null when it is not created."
  value       = try(aws_organizations_policy.deny_root_user[0].id, null)
}

output "restrict_assume_root_policy_id" {
  description = "Id (p-...) of the restrict-AssumeRoot SCP; null when it is not created."
  value       = try(aws_organizations_policy.restrict_assume_root[0].id, null)
}

output "policy_documents" {
  description = "The SCP documents this module writes, as JSON text keyed by deny_root_user and restrict_assume_root (each null when not created); for review and for the SCP lint."
  value = {
    deny_root_user       = local.create_deny ? jsonencode(local.deny_root_user_policy) : null
    restrict_assume_root = local.create_restrict ? jsonencode(local.restrict_assume_root_policy) : null
  }
}

output "attached_target_ids" {
  description = "Where each SCP is attached: deny_root_user -> sorted target ids, restrict_assume_root -> the delegated administrator account id (empty list when not created)."
  value = {
    deny_root_user       = sort(keys(aws_organizations_policy_attachment.deny_root_user))
    restrict_assume_root = [for a in aws_organizations_policy_attachment.restrict_assume_root : a.target_id]
  }
}
