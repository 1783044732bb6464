"""root_access_cdktf and the engine installed from wheels, with no checkout on the path.

The test builds the wheels of the engine (``root-access``) and of ``cdktf/``
(``root-access-cdktf``) from copies of their sources, installs both with pip into a fresh
venv, and runs the example app there with a git module ``source``
(``ROOT_ACCESS_TERRAFORM_SOURCE=git::file://…/root-access.git?ref=v0.1.0``, a repository
holding a copy of this checkout's Terraform code, tagged as a release would be). Terraform
then installs the modules from that repository and validates the stack (offline engine
and provider mirror).

The third-party dependencies (cdktn or cdktf, their AWS provider package of ~500 MB,
constructs, boto3) are not downloaded again: the fresh venv reads them from this stack
venv's site-packages through a ``.pth`` path entry. Python processes ``.pth`` files only in
site directories, so the editable installs of this checkout found there
(``__editable__.*.pth``) stay inactive; the test checks that ``root_access`` and
``root_access_cdktf`` are imported from the fresh venv and that no ``sys.path`` entry lies
inside the checkout.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.terraform

CDKTF_DIR = Path(__file__).resolve().parents[1]
REPOSITORY = CDKTF_DIR.parent
TERRAFORM_PARTS = ("modules", "scripts", "policies")
GIT = [
    "git",
    "-c",
    "user.name=root-access tests",
    "-c",
    "user.email=tests@example.invalid",
    "-c",
    "init.defaultBranch=main",
]

PROBE = """
import json, sys
import root_access, root_access_cdktf
from root_access_cdktf.source import repository_root
print(json.dumps({
    "root_access": root_access.__file__,
    "root_access_cdktf": root_access_cdktf.__file__,
    "path": sys.path,
    "repository_root": None if repository_root() is None else str(repository_root()),
}))
"""


def _run(command: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(command, capture_output=True, text=True, check=False, **kwargs)
    assert done.returncode == 0, f"{command}: {done.stdout}{done.stderr}"
    return done


def _copy_sources(destination: Path) -> tuple[Path, Path]:
    """Copies of the two projects' sources (building in place would leave build/ and
    *.egg-info in the checkout)."""
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", "build", "dist")
    engine = destination / "engine"
    engine.mkdir(parents=True)
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(REPOSITORY / name, engine / name)
    shutil.copytree(REPOSITORY / "src", engine / "src", ignore=ignore)
    constructs = destination / "cdktf"
    constructs.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(CDKTF_DIR / name, constructs / name)
    shutil.copytree(CDKTF_DIR / "src", constructs / "src", ignore=ignore)
    return engine, constructs


def _release_repository(destination: Path) -> str:
    """A git repository with this checkout's Terraform code, tagged v0.1.0; its address."""
    work = destination / "root-access"
    work.mkdir(parents=True)
    for path in REPOSITORY.glob("*.tf"):
        shutil.copy(path, work / path.name)
    ignore = shutil.ignore_patterns("__pycache__", ".terraform", "*.tfstate*", "tests")
    for part in TERRAFORM_PARTS:
        shutil.copytree(REPOSITORY / part, work / part, ignore=ignore)
    shutil.copytree(REPOSITORY / "src" / "root_access", work / "src" / "root_access", ignore=ignore)
    _run([*GIT, "init", "-q", str(work)])
    _run([*GIT, "-C", str(work), "add", "."])
    _run([*GIT, "-C", str(work), "commit", "-q", "-m", "release"])
    _run([*GIT, "-C", str(work), "tag", "v0.1.0"])
    return f"git::file://{work}?ref=v0.1.0"


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The interpreter of a fresh venv holding both wheels (dependencies borrowed)."""
    base = tmp_path_factory.mktemp("packages")
    engine, constructs = _copy_sources(base / "sources")
    wheels = base / "wheels"
    for project in (engine, constructs):
        _run(
            [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(wheels), "."],
            cwd=project,
        )
    names = sorted(path.name for path in wheels.glob("*.whl"))
    assert [name.split("-")[0] for name in names] == ["root_access", "root_access_cdktf"]
    venv = base / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)])
    python = venv / "bin" / "python"
    purelib = Path(
        _run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]
        ).stdout.strip()
    )
    _run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "-q",
            "--no-deps",
            "--target",
            str(purelib),
            *[str(wheels / name) for name in names],
        ]
    )
    (purelib / "zz-borrowed-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return python


def _clean_env(**extra: str) -> dict[str, str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTHON", "ROOT_ACCESS_", "VIRTUAL_ENV"))
    }
    return {**environment, **extra}


def test_packages_import_from_the_fresh_venv_without_the_checkout(
    installed: Path, tmp_path: Path
) -> None:
    # given the fresh venv
    # when both packages are imported there, outside the checkout
    done = _run([str(installed), "-c", PROBE], cwd=tmp_path, env=_clean_env())
    probe = json.loads(done.stdout)
    # then they come from its site-packages, and the only sys.path entry under the
    # checkout is the borrowed dependencies' site-packages (when the stack venv lives
    # there), never the checkout's sources
    venv = installed.parent.parent
    assert Path(probe["root_access"]).is_relative_to(venv)
    assert Path(probe["root_access_cdktf"]).is_relative_to(venv)
    inside = [p for p in probe["path"] if p and Path(p).resolve().is_relative_to(REPOSITORY)]
    borrowed = Path(sysconfig.get_paths()["purelib"]).resolve()
    assert [Path(p).resolve() for p in inside] in ([], [borrowed])
    assert str(REPOSITORY / "src") not in probe["path"]
    assert str(CDKTF_DIR / "src") not in probe["path"]
    assert probe["repository_root"] is None


def test_without_a_source_the_app_says_where_to_point_it(installed: Path, tmp_path: Path) -> None:
    # given the example app outside the checkout and no source
    app = tmp_path / "app"
    shutil.copytree(CDKTF_DIR / "examples", app, ignore=shutil.ignore_patterns("cdktf.out"))
    # when
    done = subprocess.run(
        [str(installed), "app.py"],
        cwd=app,
        env=_clean_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    # then it fails before synthesizing, naming the prop and the variable
    assert done.returncode == 1
    assert (
        "source: cannot find the root-access Terraform modules; pass source= (a local checkout "
        "or a module address such as 'git::https://…//?ref=v0.1.0') or set "
        "ROOT_ACCESS_TERRAFORM_SOURCE"
    ) in done.stderr


def test_example_synthesizes_with_a_git_source_and_validates(
    installed: Path, tmp_path: Path, terraform_available: None
) -> None:
    # given the example app outside the checkout and a tagged git repository of the modules
    address = _release_repository(tmp_path / "git")
    app = tmp_path / "app"
    shutil.copytree(CDKTF_DIR / "examples", app, ignore=shutil.ignore_patterns("cdktf.out"))
    # when the app synthesizes with ROOT_ACCESS_TERRAFORM_SOURCE set to it
    _run([str(installed), "app.py"], cwd=app, env=_clean_env(ROOT_ACCESS_TERRAFORM_SOURCE=address))
    stack = app / "cdktf.out" / "stacks" / "root-access"
    synthesized = json.loads((stack / "cdk.tf.json").read_text())
    # then both module blocks use the git address
    assert {name: block["source"] for name, block in synthesized["module"].items()} == {
        "root_access": address,
        "disabled": address,
    }
    # and Terraform installs the modules from the repository and validates the stack
    init = subprocess.run(
        ["terraform", "init", "-input=false", "-no-color"],
        cwd=stack,
        capture_output=True,
        text=True,
        check=False,
    )
    assert init.returncode == 0, init.stdout + init.stderr
    assert (stack / ".terraform" / "modules" / "root_access" / "scripts" / "audit.py").is_file()
    validate = subprocess.run(
        ["terraform", "validate", "-json"], cwd=stack, capture_output=True, text=True, check=False
    )
    assert json.loads(validate.stdout)["valid"] is True, validate.stdout
