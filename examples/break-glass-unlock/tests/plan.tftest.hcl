# The example planned against a mocked provider: one instance per request id.

mock_provider "aws" {
  mock_data "aws_caller_identity" {
    defaults = { account_id = "333333333333" }
  }
}

run "one_instance_per_request" {
  command = plan

  assert {
    condition     = join(",", output.request_ids) == "INC-0001,INC-0002"
    error_message = "each request id is planned once"
  }

  assert {
    condition     = length(output.disabled_request_ids) == 0
    error_message = "the disabled instance runs nothing"
  }
}
