"""The generated reference of every module README is current and complete (STYLE §2)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import hcl2
import pytest

REPO = Path(__file__).resolve().parents[2]
TFDOCS = REPO / "scripts" / "tfdocs.py"
MODULES = [REPO, *sorted(p.parent for p in REPO.glob("modules/*/variables.tf"))]


def _section(text: str, title: str) -> list[str]:
    """First-column names of the Markdown table under ``## <title>``."""
    body = text.split("<!-- BEGIN_TF_DOCS -->", 1)[1].split("<!-- END_TF_DOCS -->", 1)[0]
    table = body.split(f"## {title}\n", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in table.splitlines() if line.startswith("| ")]
    return [row.split("|")[1].strip() for row in rows[1:]]


def _declared(module: Path, file: str, kind: str) -> list[str]:
    with (module / file).open() as handle:
        document = hcl2.load(handle)
    return sorted(name.strip('"') for block in document.get(kind, []) for name in block)


def _readme(module: Path) -> Path:
    return REPO / "docs" / "terraform.md" if module == REPO else module / "README.md"


def test_every_readme_is_current():
    # given the committed READMEs
    # when
    done = subprocess.run(
        [sys.executable, str(TFDOCS), "--check"], capture_output=True, text=True, check=False
    )
    # then
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""


@pytest.mark.parametrize("module", MODULES, ids=lambda p: p.name)
def test_readme_lists_exactly_the_variables_and_outputs(module: Path):
    # given
    text = _readme(module).read_text()
    # when
    inputs = _section(text, "Inputs")
    outputs = _section(text, "Outputs")
    # then
    assert inputs == _declared(module, "variables.tf", "variable")
    assert outputs == _declared(module, "outputs.tf", "output")


def _copy_repository(tmp_path: Path) -> Path:
    """The modules, the root module's .tf files and docs/terraform.md under tmp_path/repo."""
    copy = tmp_path / "repo"
    shutil.copytree(REPO / "modules", copy / "modules")
    (copy / "docs").mkdir()
    shutil.copy(REPO / "docs" / "terraform.md", copy / "docs" / "terraform.md")
    for path in REPO.glob("*.tf"):
        shutil.copy(path, copy / path.name)
    return copy


def test_check_fails_when_a_variable_is_added(tmp_path: Path):
    # given a copy of the repository's modules where a variable was added
    copy = _copy_repository(tmp_path)
    with (copy / "modules" / "privileged-task" / "variables.tf").open("a") as handle:
        handle.write(
            '\nvariable "extra" {\n  description = "x"\n  type = bool\n  default = false\n}\n'
        )
    # when
    done = subprocess.run(
        [sys.executable, str(TFDOCS), "--check", "--root", str(copy)],
        capture_output=True,
        text=True,
        check=False,
    )
    # then
    assert done.returncode == 1
    assert done.stderr == (
        "tfdocs: stale: modules/privileged-task/README.md: run .venv/bin/python scripts/tfdocs.py\n"
    )


def test_generator_rewrites_the_stale_table(tmp_path: Path):
    # given a README whose reference was emptied
    module = tmp_path / "repo" / "modules" / "privileged-task"
    shutil.copytree(REPO / "modules" / "privileged-task", module)
    (tmp_path / "repo" / "docs").mkdir()
    shutil.copy(REPO / "docs" / "terraform.md", tmp_path / "repo" / "docs" / "terraform.md")
    readme = module / "README.md"
    readme.write_text(
        re.sub(
            r"<!-- BEGIN_TF_DOCS -->.*<!-- END_TF_DOCS -->",
            "<!-- BEGIN_TF_DOCS -->\n<!-- END_TF_DOCS -->",
            readme.read_text(),
            flags=re.S,
        )
    )
    # when
    done = subprocess.run(
        [sys.executable, str(TFDOCS), "--root", str(tmp_path / "repo")],
        capture_output=True,
        text=True,
        check=False,
    )
    # then
    assert done.returncode == 0, done.stderr
    assert readme.read_text() == (REPO / "modules" / "privileged-task" / "README.md").read_text()


def _declared_resources(module: Path) -> list[str]:
    names = []
    for path in sorted(module.glob("*.tf")):
        with path.open() as handle:
            document = hcl2.load(handle)
        for kind in ("resource", "data"):
            for block in document.get(kind, []):
                for resource_type, named in block.items():
                    kind_name = resource_type.strip('"')
                    names += [kind_name + "." + name.strip('"') for name in named]
    return sorted(names)


@pytest.mark.parametrize("module", MODULES, ids=lambda p: p.name)
def test_readme_lists_the_resources_providers_and_modules(module: Path):
    # given
    text = _readme(module).read_text()
    # when
    listed = [re.sub(r"^\[([^\]]+)\]\(.*\)$", r"\1", row) for row in _section(text, "Resources")]
    providers = _section(text, "Providers")
    modules = _section(text, "Modules")
    # then every resource and data source, each once, and the providers they use
    assert sorted(listed) == _declared_resources(module)
    assert providers == sorted({name.split("_", 1)[0].split(".", 1)[0] for name in listed})
    assert modules == (
        [
            "organization_root_access",
            "privileged_tasks",
            "root_credentials_audit",
            "root_credentials_removal",
        ]
        if module == REPO
        else []
    )


def test_resources_link_to_the_registry_and_empty_sections_say_so():
    # given / when
    removal = (REPO / "modules" / "root-credentials-removal" / "README.md").read_text()
    root = (REPO / "docs" / "terraform.md").read_text()
    # then
    assert (
        "| [terraform_data.this](https://registry.terraform.io/providers/hashicorp/terraform"
        "/latest/docs/resources/data) | resource |\n"
        "| [external.scope](https://registry.terraform.io/providers/hashicorp/external"
        "/latest/docs/data-sources/external) | data source |\n"
    ) in removal
    assert "## Modules\n\nNo modules.\n" in removal
    assert "## Providers\n\nNo providers.\n" in root
    assert "## Resources\n\nNo resources.\n" in root
    assert "| organization_root_access | ./modules/organization-root-access | n/a |" in root


def test_check_fails_when_a_resource_is_added(tmp_path: Path):
    # given a copy of the repository's modules where a resource was added
    copy = _copy_repository(tmp_path)
    with (copy / "modules" / "privileged-task" / "main.tf").open("a") as handle:
        handle.write('\nresource "terraform_data" "extra" {}\n')
    # when
    done = subprocess.run(
        [sys.executable, str(TFDOCS), "--check", "--root", str(copy)],
        capture_output=True,
        text=True,
        check=False,
    )
    # then
    assert done.returncode == 1
    assert "modules/privileged-task/README.md" in done.stderr
