"""Centralized root access for one organization, as a CDK Terrain / cdktf app.

Synthesize without the CDK CLI: ``python app.py`` writes ``cdktf.out/stacks/root-access/
cdk.tf.json``; then ``cd cdktf.out/stacks/root-access && terraform init && terraform apply``
with the management account's credentials (or ``cdktn deploy`` / ``cdktf deploy``).

The same file runs on CDK Terrain and on CDK for Terraform: ``root_access_cdktf.cdk`` is
whichever is installed. An app written for one stack would ``from cdktn import App,
TerraformStack, TerraformOutput`` and ``from cdktn_provider_aws.provider import AwsProvider``.
"""

from __future__ import annotations

from constructs import Construct

from root_access_cdktf import PrivilegedTaskRequest, RootAccessManagement, Selection
from root_access_cdktf.cdk import aws_provider_module, cdk

SECURITY_ACCOUNT = "333333333333"


class RootAccessStack(cdk.TerraformStack):
    """Features on, delegated administrator registered, root credentials deleted."""

    def __init__(self, scope: Construct, id: str) -> None:
        super().__init__(scope, id)
        # Region and credentials come from the pipeline's environment (AWS_REGION, …).
        aws_provider_module().AwsProvider(self, "aws")

        root_access = RootAccessManagement(
            self,
            "root_access",
            delegated_administrator_account_id=SECURITY_ACCOUNT,
            selection=Selection(all=True, exclude_accounts=[SECURITY_ACCOUNT]),
            remove_root_credentials=True,
            evidence_path="evidence/root-access.jsonl",
            privileged_tasks={
                "CHG-1001": PrivilegedTaskRequest(
                    task="allow-password-recovery", account_id="222222222222"
                ),
            },
        )
        # A disabled instance plans nothing: how to switch the whole thing off.
        RootAccessManagement(self, "disabled", create=False)

        cdk.TerraformOutput(
            self,
            "accounts_with_root_credentials",
            value=root_access.accounts_with_root_credentials,
        )
        cdk.TerraformOutput(self, "audit_summary", value=root_access.audit_summary)


if __name__ == "__main__":
    app = cdk.App()
    RootAccessStack(app, "root-access")
    app.synth()
