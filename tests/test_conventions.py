"""Conventions Terraform module users expect: pre-commit hooks, the changelog, moved blocks,
and the Makefile's clean targets (issue 15)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
PRE_COMMIT = REPO / ".pre-commit-config.yaml"
CHANGELOG = REPO / "CHANGELOG.md"


def _hooks() -> dict[str, dict]:
    config = yaml.safe_load(PRE_COMMIT.read_text())
    return {hook["id"]: hook for repo in config["repos"] for hook in repo["hooks"]}


def _pygrep(hook: dict, data: bytes) -> bool:
    """Whether a pygrep hook matches ``data`` as pre-commit's pygrep matches it: the whole
    file with ``--multiline`` (MULTILINE | DOTALL), else line by line."""
    if "--multiline" in hook.get("args", []):
        return re.search(hook["entry"].encode(), data, re.MULTILINE | re.DOTALL) is not None
    pattern = re.compile(hook["entry"].encode())
    return any(pattern.search(line) for line in data.splitlines())


def test_pre_commit_config_is_valid_and_local_only():
    # given / when
    done = subprocess.run(
        [str(BIN / "pre-commit"), "validate-config", str(PRE_COMMIT)],
        capture_output=True,
        text=True,
        check=False,
    )
    config = yaml.safe_load(PRE_COMMIT.read_text())
    # then
    assert done.returncode == 0, done.stdout + done.stderr
    assert [repo["repo"] for repo in config["repos"]] == ["local"]
    assert sorted(_hooks()) == [
        "end-of-file-newline",
        "ruff-check",
        "ruff-format",
        "terraform-fmt",
        "terraform-validate",
        "tfdocs",
        "trailing-whitespace",
    ]


def test_every_system_hook_runs_a_tool_of_the_dev_venv_or_a_make_target():
    # given
    makefile = (REPO / "Makefile").read_text()
    for hook_id, hook in _hooks().items():
        if hook["language"] != "system":
            assert hook["language"] == "pygrep", hook_id
            continue
        command = hook["entry"].split()
        # when / then
        if command[0] == "make":
            target = command[-1]
            assert re.search(rf"^{target}:", makefile, re.M), f"{hook_id}: no make {target}"
        else:
            assert (REPO / command[0]).is_file() or command[0].startswith(".venv/"), hook_id
            assert (BIN / Path(command[0]).name).is_file(), f"{hook_id}: {command[0]} missing"


@pytest.mark.parametrize(
    ("hook_id", "bad", "good"),
    [
        ("trailing-whitespace", b"x = 1 \ny = 2\n", b"x = 1\ny = 2\n"),
        ("end-of-file-newline", b"x = 1\ny = 2", b"x = 1\ny = 2\n"),
    ],
)
def test_whitespace_hooks_find_what_they_name(hook_id: str, bad: bytes, good: bytes):
    # given
    hook = _hooks()[hook_id]
    # when / then
    assert _pygrep(hook, bad) is True
    assert _pygrep(hook, good) is False


def test_tracked_text_files_pass_the_whitespace_hooks():
    # given every tracked file the hooks would look at
    files = subprocess.run(
        ["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=True
    ).stdout.split(b"\0")
    hooks = _hooks()
    failures = []
    for name in filter(None, files):
        path = REPO / name.decode()
        if not path.is_file():
            continue
        data = path.read_bytes()
        if b"\0" in data[:8192]:
            continue  # binary: not a text file
        for hook_id in ("trailing-whitespace", "end-of-file-newline"):
            exclude = hooks[hook_id].get("exclude")
            if exclude and re.search(exclude, name.decode()):
                continue
            if _pygrep(hooks[hook_id], data):
                failures.append(f"{hook_id}: {name.decode()}")
    # then
    assert failures == []


def _unreleased() -> str:
    text = CHANGELOG.read_text()
    return text.split("## [Unreleased]\n", 1)[1].split("\n## [", 1)[0]


def test_changelog_follows_keep_a_changelog_with_an_unreleased_section():
    # given / when
    text = CHANGELOG.read_text()
    sections = re.findall(r"^### (.+)$", _unreleased(), re.M)
    # then
    assert text.startswith("# Changelog\n")
    assert "[Keep a Changelog](https://keepachangelog.com/en/1.1.0/)" in text
    assert sections[0] == "Breaking changes"
    assert set(sections) <= {
        "Breaking changes",
        "Added",
        "Changed",
        "Deprecated",
        "Removed",
        "Fixed",
        "Security",
        "Moved resource addresses",
    }


@pytest.mark.parametrize(
    "change",
    [
        "`root_credentials_present`",
        "`present`",
        "`deactivated`",
        "`policy_recorded`",
        "`root_access.cli`",
        "1..64, default 32",
    ],
)
def test_changelog_names_each_breaking_change_with_a_migration(change: str):
    # given
    breaking = _unreleased().split("### Breaking changes\n", 1)[1].split("\n### ", 1)[0]
    entries = ["- " + entry for entry in breaking.split("\n- ")[1:]]
    # when
    matching = [entry for entry in entries if change in entry]
    # then
    assert matching, change
    assert all("Migrate:" in entry for entry in matching)


def test_moved_blocks_and_changelog_agree():
    # given the moved blocks at the repository root and in the modules
    moved = []
    for path in [REPO / "migrations.tf", *REPO.glob("modules/*/migrations.tf")]:
        if path.is_file():
            moved += re.findall(r"^\s*from\s*=\s*(\S+)", path.read_text(), re.M)
    # when
    section = _unreleased().split("### Moved resource addresses\n", 1)[1]
    # then every moved address is listed, and "None" only when there is none
    if moved:
        assert all(f"`{address}`" in section for address in moved)
    else:
        assert section.lstrip().startswith("None this release")


def test_distclean_removes_the_jsii_cache_the_cdktf_tests_use(tmp_path: Path):
    # given a HOME of the test's own
    # when
    done = subprocess.run(
        ["make", "-n", "--no-print-directory", "distclean", f"HOME={tmp_path}"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    conftest = (REPO / "cdktf" / "tests" / "conftest.py").read_text()
    # then
    assert f"rm -rf {tmp_path}/.cache/root-access/jsii\n" in done.stdout
    assert 'JSII_CACHE = Path.home() / ".cache" / "root-access" / "jsii"' in conftest
