# Plan-level checks of the documents, validation and preconditions, against a mocked aws
# provider (terraform test, Terraform >= 1.7). Every run is `command = plan`.

mock_provider "aws" {}

variables {
  deny_root_user_target_ids = ["ou-abcd-12345678"]
}

run "deny_root_user_exempts_assume_root_sessions" {
  command = plan

  assert {
    condition     = jsondecode(aws_organizations_policy.deny_root_user[0].content).Statement[0].Condition == { ArnLike = { "aws:PrincipalArn" = "arn:*:iam::*:root" }, Null = { "aws:AssumedRoot" = "true" } }
    error_message = "the deny-root-user SCP spares AssumeRoot sessions"
  }

  assert {
    condition     = aws_organizations_policy.deny_root_user[0].type == "SERVICE_CONTROL_POLICY" && keys(aws_organizations_policy_attachment.deny_root_user) == ["ou-abcd-12345678"]
    error_message = "one SCP attached to the OU"
  }

  assert {
    condition     = length(aws_organizations_policy.restrict_assume_root) == 0
    error_message = "the restrict policy is opt-in"
  }
}

run "restrict_assume_root_per_task" {
  command = plan

  variables {
    create_restrict_assume_root_policy = true
    delegated_administrator_account_id = "333333333333"
    pipeline_role_arns                 = ["arn:aws:iam::333333333333:role/pipeline"]
    allowed_task_policies              = { "arn:aws:iam::333333333333:role/pipeline" = ["IAMAuditRootUserCredentials"] }
  }

  assert {
    condition     = jsondecode(aws_organizations_policy.restrict_assume_root[0].content).Statement[0].Condition == { ArnNotLike = { "aws:PrincipalArn" = ["arn:aws:iam::333333333333:role/pipeline"] } }
    error_message = "every other principal is denied sts:AssumeRoot"
  }

  assert {
    condition     = jsondecode(aws_organizations_policy.restrict_assume_root[0].content).Statement[1].Condition.ArnNotLike["sts:TaskPolicyArn"] == ["arn:*:iam::aws:policy/root-task/IAMAuditRootUserCredentials"]
    error_message = "the role is limited to its task policies"
  }

  assert {
    condition     = aws_organizations_policy_attachment.restrict_assume_root[0].target_id == "333333333333"
    error_message = "attached to the delegated administrator"
  }
}

run "create_false_creates_nothing" {
  command = plan

  variables {
    create = false
  }

  assert {
    condition     = length(aws_organizations_policy.deny_root_user) == 0 && length(aws_organizations_policy_attachment.deny_root_user) == 0 && output.deny_root_user_policy_id == null
    error_message = "create = false creates nothing"
  }
}

run "restrict_without_roles_is_refused" {
  command = plan

  variables {
    create_restrict_assume_root_policy = true
    delegated_administrator_account_id = "333333333333"
  }

  expect_failures = [aws_organizations_policy.restrict_assume_root]
}

run "bad_target_id_is_refused" {
  command = plan

  variables {
    deny_root_user_target_ids = ["Workloads"]
  }

  expect_failures = [var.deny_root_user_target_ids]
}
