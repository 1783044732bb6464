# Service control policies that keep root access centralized (IAM User Guide,
# id_root-enable-root-access.html; condition key aws:AssumedRoot,
# reference_policies_condition-keys.html#condition-keys-assumedroot).

locals {
  create_deny     = var.create && var.create_deny_root_user_policy
  create_restrict = var.create && var.create_restrict_assume_root_policy

  # Deny everything the root user does, except inside AssumeRoot sessions: the Null test
  # on aws:AssumedRoot is what spares the central team's root sessions.
  deny_root_user_policy = {
    Version = "2012-10-17"
    Statement = [{
      Sid      = "DenyRootUserOutsideAssumeRootSessions"
      Effect   = "Deny"
      Action   = "*"
      Resource = "*"
      Condition = {
        ArnLike = { "aws:PrincipalArn" = "arn:*:iam::*:root" }
        Null    = { "aws:AssumedRoot" = "true" }
      }
    }]
  }

  task_arn = "arn:*:iam::aws:policy/root-task/%s"
  restrict_assume_root_policy = {
    Version = "2012-10-17"
    Statement = concat(
      [{
        Sid      = "DenyAssumeRootExceptPipelineRoles"
        Effect   = "Deny"
        Action   = "sts:AssumeRoot"
        Resource = "*"
        Condition = {
          ArnNotLike = { "aws:PrincipalArn" = var.pipeline_role_arns }
        }
      }],
      [for index, role in sort(keys(var.allowed_task_policies)) : {
        Sid      = "LimitTaskPolicies${index}"
        Effect   = "Deny"
        Action   = "sts:AssumeRoot"
        Resource = "*"
        Condition = {
          ArnLike    = { "aws:PrincipalArn" = role }
          ArnNotLike = { "sts:TaskPolicyArn" = [for task in var.allowed_task_policies[role] : format(local.task_arn, task)] }
        }
      }]
    )
  }
}

resource "aws_organizations_policy" "deny_root_user" {
  count = local.create_deny ? 1 : 0

  name        = "${var.name_prefix}deny-root-user"
  description = "Denies every action by member root users outside AssumeRoot sessions (managed by root-guardrails)."
  type        = "SERVICE_CONTROL_POLICY"
  content     = jsonencode(local.deny_root_user_policy)
  tags        = var.tags
}

resource "aws_organizations_policy_attachment" "deny_root_user" {
  for_each = local.create_deny ? toset(var.deny_root_user_target_ids) : toset([])

  policy_id = aws_organizations_policy.deny_root_user[0].id
  target_id = each.value
}

resource "aws_organizations_policy" "restrict_assume_root" {
  count = local.create_restrict ? 1 : 0

  name        = "${var.name_prefix}restrict-assume-root"
  description = "Denies sts:AssumeRoot to every principal but the named pipeline roles (managed by root-guardrails)."
  type        = "SERVICE_CONTROL_POLICY"
  content     = jsonencode(local.restrict_assume_root_policy)
  tags        = var.tags

  lifecycle {
    precondition {
      condition     = var.delegated_administrator_account_id != null && length(var.pipeline_role_arns) > 0
      error_message = "create_restrict_assume_root_policy needs delegated_administrator_account_id and at least one pipeline_role_arns entry; without a role the SCP would deny AssumeRoot to everyone."
    }
    precondition {
      condition     = length(jsonencode(local.restrict_assume_root_policy)) <= 5120
      error_message = "The restrict-AssumeRoot SCP exceeds the 5,120-character SCP size quota: use fewer role ARNs (wildcards) or fewer per-role task lists."
    }
    precondition {
      condition     = alltrue([for role in keys(var.allowed_task_policies) : contains(var.pipeline_role_arns, role)])
      error_message = "allowed_task_policies keys must also be listed in pipeline_role_arns."
    }
  }
}

resource "aws_organizations_policy_attachment" "restrict_assume_root" {
  count = local.create_restrict ? 1 : 0

  policy_id = aws_organizations_policy.restrict_assume_root[0].id
  target_id = var.delegated_administrator_account_id
}
