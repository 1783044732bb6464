# The example plans against a mocked provider (terraform test, Terraform >= 1.7).

mock_provider "aws" {}

run "plans_both_guardrails_and_nothing_for_the_disabled_instance" {
  command = plan

  variables {
    deny_root_user_target_ids = ["ou-abcd-12345678"]
  }

  assert {
    condition     = length(module.root_guardrails_disabled.policy_documents.deny_root_user == null ? [] : [1]) == 0
    error_message = "the disabled instance plans no policy"
  }

  assert {
    condition     = module.root_guardrails.policy_documents.restrict_assume_root != null
    error_message = "the restrict-AssumeRoot SCP is planned"
  }
}
