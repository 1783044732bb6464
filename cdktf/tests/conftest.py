"""Fixtures of the cdktf / CDK Terrain test suite (the same tests run on both stacks).

Which stack runs is decided by the venv (``.venv-cdktn`` or ``.venv-cdktf``, see the
Makefile's ``cdktf-test``). jsii starts its ``node`` process when ``cdktn``/``cdktf`` is
first imported, i.e. while test modules are collected, and node keeps the environment it
started with; ``Testing.to_be_valid_terraform`` runs plain ``terraform`` from that
environment. So ``pytest_configure`` prepares this worker's offline provider mirror
(``terraform_offline.mirror.prepare``) and puts it in ``os.environ`` before collection.

Temp hygiene: ``tests/temp_hygiene.py`` of the repository (a pytest plugin) gives the
session a private temp directory before jsii starts (so cdktf's ``cdktf.outdir.*`` folders
land there) and fails a test that leaves anything in it; ``stack`` synthesizes into the
test's ``tmp_path`` and ``valid_terraform`` removes the ``Testing.full_synth`` folder.

jsii cache: ``JSII_RUNTIME_PACKAGE_CACHE_ROOT`` defaults to :data:`JSII_CACHE`
(``~/.cache/root-access/jsii``, the Makefile's ``JSII_CACHE``; ``make distclean`` removes it).

Options: ``--update-golden`` rewrites the golden snapshots under ``tests/golden/<stack>/``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

CDKTF_DIR = Path(__file__).resolve().parents[1]
REPOSITORY = CDKTF_DIR.parent
# temp_hygiene lives in the repository's tests/ (appended: it must not shadow this conftest).
sys.path.append(str(REPOSITORY / "tests"))

pytest_plugins = ["root_access.simulator.pytest_plugin", "temp_hygiene"]

JSII_CACHE = Path.home() / ".cache" / "root-access" / "jsii"
"""Where jsii unpacks the provider packages (~500 MB per stack) unless
``$JSII_RUNTIME_PACKAGE_CACHE_ROOT`` says otherwise; the Makefile's ``JSII_CACHE``."""
GOLDEN = Path(__file__).resolve().parent / "golden"
REPOSITORY_PLACEHOLDER = "<repository>"
_MIRROR_KEY = "cdktf_terraform_mirror"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite tests/golden/<stack>/*.json from the current synth output",
    )


def pytest_configure(config: pytest.Config) -> None:
    os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
    os.environ.setdefault("JSII_RUNTIME_PACKAGE_CACHE_ROOT", str(JSII_CACHE))
    from terraform_offline.engine import EngineNotFoundError
    from terraform_offline.mirror import MirrorError, prepare

    directory = tempfile.mkdtemp(prefix="cdktf-terraform-mirror-")
    config.stash[_MIRROR_KEY] = directory
    try:
        os.environ.update(prepare(directory))
    except (EngineNotFoundError, MirrorError) as error:
        # Synth tests still run; the Terraform tests fail with this message.
        os.environ["CDKTF_TEST_TERRAFORM_UNAVAILABLE"] = str(error)


def pytest_unconfigure(config: pytest.Config) -> None:
    directory = config.stash.get(_MIRROR_KEY, None)
    if directory:
        shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture(scope="session")
def cdk_name() -> str:
    """``"cdktn"`` or ``"cdktf"``: the stack under test."""
    from root_access_cdktf.cdk import CDK_NAME

    return CDK_NAME


@pytest.fixture
def stack(tmp_path: Path) -> Any:
    """An empty ``TerraformStack`` named ``test`` in ``Testing.app()`` with an AWS provider,
    synthesizing into ``tmp_path / "cdktf.out"`` (``Testing.app()`` alone makes a
    ``cdktf.outdir.*`` folder in the temp directory and never removes it).

    (``Testing.synth_scope`` fails in Python, hashicorp/terraform-cdk#2871.)
    """
    from root_access_cdktf.cdk import aws_provider_module, cdk

    app = cdk.Testing.app(outdir=str(tmp_path / "cdktf.out"))
    result = cdk.TerraformStack(app, "test")
    aws_provider_module().AwsProvider(result, "aws", region="eu-west-1")
    return result


def _placeholder(working_directory: Path, source: str) -> str:
    """A ``./``/``../`` module source inside this checkout as ``<repository>/…``."""
    if not source.startswith(("./", "../")):
        return source
    resolved = (working_directory / source).resolve()
    if resolved != REPOSITORY and REPOSITORY not in resolved.parents:
        return source
    return "/".join([REPOSITORY_PLACEHOLDER, *resolved.relative_to(REPOSITORY).parts])


@pytest.fixture
def synth() -> Callable[[Any], dict[str, Any]]:
    """``Testing.synth(stack)`` parsed into a dict; module sources that resolve (from the
    stack's working directory) into this checkout read ``<repository>/…``."""
    from root_access_cdktf.cdk import cdk

    def run(stack: Any) -> dict[str, Any]:
        result: dict[str, Any] = json.loads(cdk.Testing.synth(stack))
        working = Path(cdk.App.of(stack).outdir).resolve() / "stacks" / stack.node.id
        for block in result.get("module", {}).values():
            block["source"] = _placeholder(working, block["source"])
        return result

    return run


@pytest.fixture
def terraform_available() -> None:
    """Fail (not skip) when the offline Terraform engine or mirror could not be prepared."""
    problem = os.environ.get("CDKTF_TEST_TERRAFORM_UNAVAILABLE")
    if problem:
        pytest.fail(f"offline Terraform unavailable: {problem}", pytrace=False)


@pytest.fixture
def valid_terraform(terraform_available: None) -> Callable[[Any], bool]:
    """``Testing.to_be_valid_terraform(Testing.full_synth(stack))`` (terraform init + validate).

    When it says ``False``, the test fails with Terraform's own diagnostics (the matcher
    returns only a boolean in Python).
    """
    from root_access_cdktf.cdk import cdk

    def check(stack: Any) -> bool:
        # full_synth always synthesizes into a new cdktf.outdir.* temp folder: remove it.
        directory = Path(cdk.Testing.full_synth(stack))
        try:
            return validate(directory)
        finally:
            shutil.rmtree(directory, ignore_errors=True)

    def validate(directory: Path) -> bool:
        if cdk.Testing.to_be_valid_terraform(str(directory)):
            return True
        manifest = json.loads((directory / "manifest.json").read_text())
        details = []
        for entry in manifest["stacks"].values():
            result = subprocess.run(
                ["terraform", "validate", "-json"],
                cwd=directory / entry["workingDirectory"],
                capture_output=True,
                text=True,
            )
            details.append(result.stdout + result.stderr)
        pytest.fail("not valid Terraform:\n" + "\n".join(details), pytrace=False)

    return check


def _normalize(text: str, replacements: dict[str, str] | None = None) -> str:
    for path, placeholder in (replacements or {}).items():
        text = text.replace(path, placeholder)
    return text.replace(str(REPOSITORY), REPOSITORY_PLACEHOLDER)


@pytest.fixture
def normalize() -> Callable[..., str]:
    """``normalize(text, {path: placeholder})``: synth output with machine paths replaced,
    this checkout's absolute path by ``<repository>``."""
    return _normalize


@pytest.fixture
def golden(request: pytest.FixtureRequest, cdk_name: str) -> Callable[[str, str], str]:
    """``golden(name, normalized_text)``: the committed snapshot ``golden/<stack>/<name>``
    (first rewritten from ``normalized_text`` with ``--update-golden``)."""

    def load(name: str, text: str) -> str:
        path = GOLDEN / cdk_name / name
        if request.config.getoption("--update-golden"):
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
        if not path.is_file():
            pytest.fail(f"no golden snapshot {path}: run pytest --update-golden", pytrace=False)
        return path.read_text()

    return load


@pytest.fixture(scope="session")
def python() -> str:
    """This venv's interpreter (has boto3 and the engine: runs the modules' scripts)."""
    return sys.executable


@pytest.fixture(scope="session")
def example_dir(tmp_path_factory: pytest.TempPathFactory, python: str) -> Path:
    """A private copy of ``cdktf/examples`` after ``python app.py`` ran in it (once per
    worker: loading the prebuilt AWS provider costs seconds of CPU per process)."""
    copy = tmp_path_factory.mktemp("example") / "examples"
    shutil.copytree(CDKTF_DIR / "examples", copy, ignore=shutil.ignore_patterns("cdktf.out"))
    subprocess.run(
        [python, "app.py"], cwd=copy, check=True, capture_output=True, env=os.environ.copy()
    )
    return copy
