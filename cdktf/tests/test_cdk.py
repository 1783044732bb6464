"""_cdk.py: one code path for both stacks; only the import differs."""

from __future__ import annotations

import importlib.util
import os
import subprocess

import pytest

from root_access_cdktf.cdk import CDK_NAME, STACKS, aws_provider_module


def run_python(python: str, code: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [python, "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
    )


def test_the_installed_stack_is_selected_preferring_cdk_terrain() -> None:
    # given the stacks installed in this venv
    installed = [name for name in STACKS if importlib.util.find_spec(name) is not None]

    # when / then the first installed in order of preference (cdktn, then cdktf) runs
    assert installed[0] == CDK_NAME


def test_the_aws_provider_matches_the_stack() -> None:
    # given / when the provider module of the running stack
    module = aws_provider_module()

    # then it is the prebuilt provider of the same family
    assert (
        module.__name__
        == {
            "cdktn": "cdktn_provider_aws.provider",
            "cdktf": "cdktf_cdktf_provider_aws.provider",
        }[CDK_NAME]
    )


def test_an_unknown_forced_stack_is_refused(python: str) -> None:
    # given ROOT_ACCESS_CDK naming no stack
    # when the package is imported
    result = run_python(python, "import root_access_cdktf", ROOT_ACCESS_CDK="pulumi")

    # then the import fails naming the allowed values
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1] == (
        "ValueError: ROOT_ACCESS_CDK='pulumi': allowed values are ['cdktf', 'cdktn']"
    )


def test_a_forced_stack_that_is_not_installed_says_what_to_install(python: str) -> None:
    # given ROOT_ACCESS_CDK naming the stack this venv lacks
    missing = [name for name in STACKS if importlib.util.find_spec(name) is None]
    if not missing:
        pytest.skip("both stacks are installed in this venv")

    # when the package is imported
    result = run_python(python, "import root_access_cdktf", ROOT_ACCESS_CDK=missing[0])

    # then the error names the extra to install
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1] == (
        "ModuleNotFoundError: root_access_cdktf needs CDK Terrain or CDK for Terraform: pip "
        "install 'root-access-cdktf[cdktn]' (or '[cdktf]' for existing cdktf apps); looked for "
        f"('{missing[0]}',)"
    )
