"""Public face of the stack selection, for apps and tests that run on both stacks.

``cdk`` is the ``cdktn`` or ``cdktf`` module itself (``cdk.App``, ``cdk.TerraformStack``,
``cdk.Testing``); ``CDK_NAME`` says which; ``aws_provider_module()`` gives the matching
prebuilt AWS provider (``AwsProvider``). An app written for one stack can simply
``import cdktn`` (or ``cdktf``) instead.
"""

from __future__ import annotations

from root_access_cdktf._cdk import CDK_ENV, CDK_NAME, STACKS, aws_provider_module, cdk

__all__ = ["CDK_ENV", "CDK_NAME", "STACKS", "aws_provider_module", "cdk"]
