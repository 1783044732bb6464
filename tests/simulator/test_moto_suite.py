"""Peer check: a fast subset of moto's own IAM, STS and Organizations suites, taken from the
sdist of the pinned moto (``make moto-suite`` downloads it from PyPI), run with the
simulator's extension installed, fails exactly where docs/simulator-fidelity.md says the
simulator differs from plain moto, and those tests pass with plain moto.
"""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import moto
import pytest

MOTO_VERSION = "5.2.5"
REPO = Path(__file__).resolve().parents[2]
SUITE = Path(os.environ.get("ROOT_ACCESS_MOTO_SUITE") or REPO / ".cache" / f"moto-{MOTO_VERSION}")
SUBSET = (
    "tests/test_sts",
    "tests/test_organizations",
    "tests/test_iam/test_iam.py",
    "tests/test_iam/test_iam_signing_certificates.py",
)
DIFFERENCES = {
    "tests/test_organizations/test_organizations.py::test_list_roots_for_new_account_in_organization":
        "Organizations reads refused to ordinary members",
    "tests/test_organizations/test_organizations.py::test_list_accounts_pagination":
        "ListAccounts pages of at most 20",
    "tests/test_iam/test_iam.py::test_get_account_summary":
        "GetAccountSummary reports AccountPasswordPresent",
    "tests/test_organizations/test_organizations.py::test_attach_service_control_policy":
        "AttachPolicy of an SCP needs the SCP policy type enabled on the root",
    "tests/test_organizations/test_organizations.py::test_attach_service_control_policy_exception":
        "AttachPolicy of an SCP needs the SCP policy type enabled on the root",
    "tests/test_organizations/test_organizations.py::test_delete_service_control_policy_exception":
        "AttachPolicy of an SCP needs the SCP policy type enabled on the root",
    "tests/test_organizations/test_organizations.py::test_detach_service_control_policy":
        "AttachPolicy of an SCP needs the SCP policy type enabled on the root",
    "tests/test_organizations/test_organizations.py::test_detach_service_control_policy_account_id_not_found_exception":
        "AttachPolicy of an SCP needs the SCP policy type enabled on the root",
    "tests/test_organizations/test_organizations.py::test_detach_service_control_policy_invalid_target_exception":
        "AttachPolicy of an SCP needs the SCP policy type enabled on the root",
    "tests/test_organizations/test_organizations.py::test_detach_service_control_policy_ou_not_found_exception":
        "AttachPolicy of an SCP needs the SCP policy type enabled on the root",
    "tests/test_organizations/test_organizations.py::test_detach_service_control_policy_root_ou_not_found_exception":
        "AttachPolicy of an SCP needs the SCP policy type enabled on the root",
    "tests/test_organizations/test_organizations.py::test_list_policies_for_target_pagination":
        "AttachPolicy of an SCP needs the SCP policy type enabled on the root",
    "tests/test_organizations/test_organizations.py::test_list_service_control_policies_for_target":
        "AttachPolicy of an SCP needs the SCP policy type enabled on the root",
    "tests/test_organizations/test_organizations.py::test_list_targets_for_service_control_policy":
        "AttachPolicy of an SCP needs the SCP policy type enabled on the root",
}  # fmt: skip
"""moto test -> the difference (docs/simulator-fidelity.md, "Differences from plain moto")."""
PASSED = 311
"""Tests of SUBSET that pass with the extension (moto 5.2.5 has 325 in it)."""
PLUGIN = "from root_access.simulator.install import install\n\ninstall()\n"


def _run(tests: list[str], report: Path, plugin_dir: Path | None) -> dict[str, str]:
    """Run moto's tests in a child pytest; returns ``{test id: passed|failed|skipped}``."""
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist",
               "-p", "no:randomly", "-W", "ignore", f"--junitxml={report}", *tests]  # fmt: skip
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "MOTO_"))}
    if plugin_dir is not None:
        command[3:3] = ["-p", "root_access_extension"]
        environment["PYTHONPATH"] = str(plugin_dir)
    subprocess.run(command, cwd=SUITE, env=environment, capture_output=True, check=False,
                   timeout=900)  # fmt: skip
    results = {}
    for case in ElementTree.parse(report).iter("testcase"):
        path = case.get("classname", "").replace(".", "/")
        name = f"{path}.py::{case.get('name')}"
        outcome = "passed"
        if case.find("failure") is not None or case.find("error") is not None:
            outcome = "failed"
        elif case.find("skipped") is not None:
            outcome = "skipped"
        results[name] = outcome
    return results


def test_moto_suites_with_the_extension_differ_exactly_where_documented(tmp_path: Path) -> None:
    # given moto's own tests of the pinned version, and a plugin installing the extension
    assert moto.__version__ == MOTO_VERSION
    assert (SUITE / "tests" / "test_sts").is_dir(), f"{SUITE}: run `make moto-suite` first"
    (tmp_path / "root_access_extension.py").write_text(PLUGIN)
    # when the subset runs with the extension, and the differing tests with plain moto
    extended = _run(list(SUBSET), tmp_path / "extended.xml", tmp_path)
    plain = _run(sorted(DIFFERENCES), tmp_path / "plain.xml", None)
    # then exactly the listed tests fail, and only because of the extension
    failed = sorted(name for name, outcome in extended.items() if outcome == "failed")
    assert failed == sorted(DIFFERENCES)
    assert sum(outcome == "passed" for outcome in extended.values()) == PASSED
    assert plain == dict.fromkeys(DIFFERENCES, "passed")


@pytest.mark.parametrize("name", sorted(DIFFERENCES))
def test_each_difference_is_listed_in_the_fidelity_doc(name: str) -> None:
    # given the fidelity doc's section on plain moto
    doc = (REPO / "docs" / "simulator-fidelity.md").read_text(encoding="utf-8")
    section = doc.split("## Differences from plain moto", 1)[1].split("\n## ", 1)[0]
    # then it names the moto test
    assert name.rsplit("::", 1)[1] in section
