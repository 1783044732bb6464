"""pytest plugin: each session works in a private temp directory, and a test that leaves
anything behind in it fails.

``pytest_configure`` creates ``<system temp>/root-access-tests-XXXXXXXX`` and points
``TMPDIR``/``TEMP``/``TMP`` (and :mod:`tempfile`) at it, so everything the session and its
subprocesses create through the usual temp APIs (Python's :mod:`tempfile`, Node's
``os.tmpdir()`` as jsii and cdktf use it, Go's ``os.TempDir`` as Terraform uses it) lands
there. An autouse fixture lists that directory before and after each test: whatever a
test added and did not remove fails the test (and is removed, so the next test is not
blamed). ``pytest-of-*`` (pytest's own ``tmp_path`` base, which keeps the last runs) is
not counted. ``pytest_unconfigure`` removes the directory, so a run leaves nothing in the
system temp directory; pass ``--basetemp DIR`` to keep the ``tmp_path`` folders of a run
for debugging.

Loaded by ``tests/conftest.py`` and ``cdktf/tests/conftest.py`` (``pytest_plugins``).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

__all__ = ["TEMP_VARIABLES", "leftovers", "pytest_configure", "pytest_unconfigure"]

TEMP_VARIABLES = ("TMPDIR", "TEMP", "TMP")
_ROOT = pytest.StashKey[Path]()
_SAVED = pytest.StashKey[dict[str, str | None]]()


def pytest_configure(config: pytest.Config) -> None:
    root = Path(tempfile.mkdtemp(prefix="root-access-tests-"))
    config.stash[_ROOT] = root
    config.stash[_SAVED] = {name: os.environ.get(name) for name in TEMP_VARIABLES}
    for name in TEMP_VARIABLES:
        os.environ[name] = str(root)
    tempfile.tempdir = None  # re-read TMPDIR


def pytest_unconfigure(config: pytest.Config) -> None:
    root = config.stash.get(_ROOT, None)
    if root is None:
        return
    for name, value in config.stash[_SAVED].items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    tempfile.tempdir = None
    shutil.rmtree(root, ignore_errors=True)


def leftovers(before: set[str], root: Path) -> list[str]:
    """Entries of ``root`` that are not in ``before`` (``pytest-of-*`` excepted), sorted."""
    return sorted(
        name
        for name in os.listdir(root)
        if name not in before and not name.startswith("pytest-of-")
    )


@pytest.fixture(autouse=True)
def _temp_directory_left_clean(request: pytest.FixtureRequest) -> Iterator[None]:
    """Fail the test when it leaves files or folders in the session's temp directory."""
    root = request.config.stash.get(_ROOT, None)
    if root is None or not root.is_dir():
        yield
        return
    before = set(os.listdir(root))
    yield
    left = leftovers(before, root)
    for name in left:
        path = root / name
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
    if left:
        shown = ", ".join(left[:5]) + (f" and {len(left) - 5} more" if len(left) > 5 else "")
        pytest.fail(f"left in the temp directory {root}: {shown}", pytrace=False)
