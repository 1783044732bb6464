"""Static checks of every module and example: fmt, validate, terraform test (mocks).

The ``*.tftest.hcl`` files under ``modules/*/tests`` and ``examples/*/tests`` check
variable validation and preconditions at plan level with ``mock_provider``; this runs
them with the offline engine and mirror.
"""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.terraform

REPO = Path(__file__).resolve().parents[2]

MODULES = sorted(p.parent.relative_to(REPO) for p in REPO.glob("modules/*/main.tf"))
EXAMPLES = sorted(p.parent.relative_to(REPO) for p in REPO.glob("examples/*/main.tf"))
TESTED = sorted(
    {p.parent.parent.relative_to(REPO) for p in REPO.glob("*/*/tests/*.tftest.hcl")}
    | ({Path(".")} if any(REPO.glob("tests/*.tftest.hcl")) else set())
)


def test_fmt_check_recursive(workspace: Path, terraform):
    # given the copy of every .tf and .tftest.hcl file
    tf = terraform(workspace, None)
    # when
    result = tf.run("fmt", "-check", "-recursive", "-no-color")
    # then
    assert (result.retcode, result.out) == (0, "")


def test_fmt_check_can_fail(workspace: Path, terraform):
    # given a badly formatted file
    (workspace / "modules" / "privileged-task" / "bad.tf").write_text("locals {\nx=1\n}\n")
    tf = terraform(workspace, None)
    # when
    result = tf.run("fmt", "-check", "-recursive", "-no-color")
    # then
    assert (result.retcode, result.out) == (3, "modules/privileged-task/bad.tf\n")


@pytest.mark.parametrize("module", [Path("."), *MODULES, *EXAMPLES], ids=str)
def test_validate(workspace: Path, terraform, module: Path):
    # given
    tf = terraform(workspace / module, None)
    tf.init()
    # when
    result = tf.run("validate", "-json").out
    # then
    assert '"valid": true' in result, result


def test_every_module_and_example_has_terraform_tests():
    # given / when / then
    assert sorted([Path("."), *MODULES, *EXAMPLES]) == TESTED


@pytest.mark.parametrize("module", TESTED, ids=str)
def test_terraform_test_files_pass(workspace: Path, terraform, module: Path):
    # given
    tf = terraform(workspace / module, None)
    tf.init()
    # when
    result = tf.run("test", "-no-color").out
    # then
    assert "0 failed" in result, result
    assert "Success!" in result
