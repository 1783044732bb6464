"""docs/field-cases-coverage.md stays true: every field case has tests, every test named
there exists (issue 7 acceptance: the whole field-case list is covered by named tests)."""

from __future__ import annotations

import ast
import re

from .conftest import REPO

FIELD_CASES = (
    "STS-GLOBAL-ENDPOINT", "STS-DURATION", "STS-SESSION-EXPIRY", "STS-CALLER-IS-ROOT",
    "STS-TARGET-MGMT", "STS-TASK-SCOPED", "ORG-TRUSTED-ACCESS", "ORG-WRONG-CALLER",
    "ORG-FEATURE-PARTIAL", "SCP-DENIES-ROOT", "ACCT-NOT-ACTIVE", "CRED-NO-LOGIN-PROFILE",
    "CRED-RECOVERY-EXISTS", "CRED-FEATURE-DELETES-NOTHING", "CRED-INACTIVE",
    "CRED-REPORT-STALE", "MFA-KINDS", "COMPLIANCE-LAG", "THROTTLING", "TF-FEATURES-LIFECYCLE",
    "EXT-STRINGS-ONLY", "EXT-STDOUT", "EXT-RUNS-ON-PLAN", "EXT-STATE-SECRETS",
    "EXT-INTERPRETER",
)  # fmt: skip
"""The row ids of shared/cases/field-cases.md, in its order."""

COVERAGE = REPO / "docs" / "field-cases-coverage.md"
NODE = re.compile(r"`((?:tests|cdktf/tests)/[\w/]+\.py)(?:::(\w+))?`")


def _rows() -> dict[str, list[tuple[str, str | None]]]:
    rows: dict[str, list[tuple[str, str | None]]] = {}
    for line in COVERAGE.read_text().splitlines():
        cells = [cell.strip() for cell in line.split("|")]
        if len(cells) > 2 and cells[1] in FIELD_CASES:
            rows[cells[1]] = [(m.group(1), m.group(2)) for m in NODE.finditer(line)]
    return rows


def _test_names(path: str) -> set[str]:
    tree = ast.parse((REPO / path).read_text())
    return {node.name for node in tree.body if isinstance(node, ast.FunctionDef)}


def test_every_field_case_has_a_row_with_tests() -> None:
    # given / when
    rows = _rows()
    # then
    assert list(rows) == list(FIELD_CASES)
    assert [case for case, nodes in rows.items() if not nodes] == []


def test_every_test_named_in_the_coverage_table_exists() -> None:
    # given every node id of the page (field cases and issue 7 promises)
    nodes = {(m.group(1), m.group(2)) for m in NODE.finditer(COVERAGE.read_text())}
    # when
    missing = [
        f"{path}::{name}"
        for path, name in sorted(nodes, key=str)
        if not (REPO / path).is_file() or (name is not None and name not in _test_names(path))
    ]
    # then
    assert len(nodes) >= 60
    assert missing == []
