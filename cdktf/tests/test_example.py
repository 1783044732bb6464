"""The example app: ``python app.py`` synthesizes without the CLI; golden snapshot of its JSON."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parents[2]


def stack_json(example_dir: Path) -> Path:
    return example_dir / "cdktf.out" / "stacks" / "root-access" / "cdk.tf.json"


def test_python_app_py_synthesizes_the_stack(example_dir: Path, cdk_name: str) -> None:
    # given the example app copied to a fresh directory
    # when it ran as `python app.py`, without the CDK CLI (example_dir fixture)
    output = stack_json(example_dir)

    # then the stack is written with the root module and the stack's own metadata
    synthesized = json.loads(output.read_text())
    assert sorted(synthesized["module"]) == ["disabled", "root_access"]
    assert synthesized["module"]["disabled"]["create"] is False
    assert (
        synthesized["//"]["metadata"]["version"] == {"cdktn": "0.24.0", "cdktf": "0.21.0"}[cdk_name]
    )


def test_example_matches_the_golden_snapshot(
    example_dir: Path,
    golden: Callable[[str, str], str],
    normalize: Callable[..., str],
) -> None:
    # given the synthesized example, with machine paths replaced by placeholders
    output = stack_json(example_dir)
    repository = os.path.relpath(REPOSITORY, output.parent)
    text = normalize(
        output.read_text(), {repository: "<repository>", str(example_dir): "<example>"}
    )

    # when compared with the committed snapshot (update: pytest --update-golden)
    expected = golden("example-root-access.json", text)

    # then nothing changed
    assert text == expected


@pytest.mark.terraform
def test_example_is_valid_terraform(example_dir: Path, terraform_available: None) -> None:
    # given the synthesized example
    output = stack_json(example_dir)

    # when Terraform initializes and validates it offline (stand-in providers)
    init = subprocess.run(
        ["terraform", "init", "-input=false", "-backend=false"],
        cwd=output.parent,
        capture_output=True,
        text=True,
    )
    validate = subprocess.run(
        ["terraform", "validate", "-json"], cwd=output.parent, capture_output=True, text=True
    )

    # then it is valid
    assert init.returncode == 0, init.stderr
    assert json.loads(validate.stdout)["valid"] is True, validate.stdout
