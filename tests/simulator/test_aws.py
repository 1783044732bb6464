"""The simulator is an independent oracle: its own AWS vocabulary, no engine imports.

The simulator's facts (``root_access.simulator.aws``) and the engine's
(``root_access.tasks``, ``root_access.arns``) are written separately; these tests fail
on any difference so that a wrong fact in one is caught by the other. When one fails,
check the AWS page named in the message and fix the side that disagrees with it.
"""

from __future__ import annotations

import ast
import json
from importlib import resources
from pathlib import Path

import pytest

from root_access import arns, tasks
from root_access.simulator import aws

TASK_PAGE = (
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_root-user-privileged-task.html "
    "and security-iam-awsmanpol.html"
)
FEATURES_PAGE = (
    "https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListOrganizationsFeatures.html"
)
ARN_PAGE = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html"
SIMULATOR = Path(aws.__file__).parent


def test_task_policy_names_match_the_engine() -> None:
    # given both lists of root-task policies
    simulator = {task.value for task in aws.TaskPolicy}
    engine = {task.value for task in tasks.RootTask}
    # then they are the same five names
    assert simulator == engine, f"task policy names differ: check {TASK_PAGE}"
    assert len(simulator) == 5


@pytest.mark.parametrize("partition", aws.PARTITIONS)
def test_task_policy_arns_match_the_engine(partition: str) -> None:
    # given each task in each partition
    for task in aws.TaskPolicy:
        # then both sides spell the TaskPolicyArn the same way
        assert task.arn(partition) == tasks.RootTask(task.value).policy_arn(partition), (
            f"TaskPolicyArn of {task.value} in {partition} differs: check {TASK_PAGE}"
        )
    assert aws.TaskPolicy.S3_UNLOCK_BUCKET_POLICY.arn(partition) == (
        f"arn:{partition}:iam::aws:policy/root-task/S3UnlockBucketPolicy"
    )


def test_packaged_policy_documents_are_the_task_policies() -> None:
    # given the documents packaged with the simulator
    folder = resources.files("root_access.simulator").joinpath("policies")
    names = {entry.name.removesuffix(".json") for entry in folder.iterdir()}
    # then there is exactly one per task policy, each a document of Deny statements
    assert names == {task.value for task in aws.TaskPolicy}, f"check {TASK_PAGE}"
    for name in names:
        document = json.loads(folder.joinpath(f"{name}.json").read_text(encoding="utf-8"))
        assert document["Version"] == "2012-10-17"
        assert {s["Effect"] for s in document["Statement"]} == {"Deny"}


def test_feature_names_match_the_engine() -> None:
    # given both lists of IAM organization features
    # then they match, in ListOrganizationsFeatures' spelling
    assert aws.FEATURES == tasks.FEATURES, f"feature names differ: check {FEATURES_PAGE}"
    assert (aws.ROOT_CREDENTIALS_MANAGEMENT, aws.ROOT_SESSIONS) == (
        tasks.ROOT_CREDENTIALS_MANAGEMENT,
        tasks.ROOT_SESSIONS,
    )


def test_default_task_features_match_the_engines_assumption() -> None:
    # given the feature each task needs by default (an assumption on both sides)
    engine = {task.value: task.required_feature for task in tasks.RootTask}
    # then both sides assume the same
    assert dict(aws.DEFAULT_TASK_FEATURES) == engine, (
        f"the assumed feature per task differs: check {TASK_PAGE} and "
        "id_root-enable-root-access.html"
    )


@pytest.mark.parametrize("partition", aws.PARTITIONS)
def test_root_arns_match_the_engine(partition: str) -> None:
    # given a root ARN built by the simulator
    arn = aws.root_arn(partition, "222222222222")
    # then the engine builds and recognises the same ARN
    assert arn == arns.root_arn(partition, "222222222222"), f"check {ARN_PAGE}"
    assert arns.is_root_arn(arn)
    assert arns.partition_of(arn) == partition


def _imported_modules(path: Path) -> list[tuple[int, str]]:
    """(line, absolute module name) of every import in a simulator module."""
    package = "root_access.simulator"
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1])
                module = f"{base}.{node.module}" if node.module else base
            else:
                module = node.module or ""
            found.append((node.lineno, module))
            if module in ("root_access", package):
                found += [(node.lineno, f"{module}.{alias.name}") for alias in node.names]
    return found


def test_no_simulator_module_imports_the_engine() -> None:
    # given every module of root_access.simulator
    offenders = [
        f"{path.relative_to(SIMULATOR.parent.parent)}:{line}: {module}"
        for path in sorted(SIMULATOR.rglob("*.py"))
        for line, module in _imported_modules(path)
        if (module == "root_access" or module.startswith("root_access."))
        and not (module == "root_access.simulator" or module.startswith("root_access.simulator."))
    ]
    # then none imports an engine module (anything in root_access outside the simulator)
    assert offenders == []


def test_the_import_check_catches_engine_imports(tmp_path: Path) -> None:
    # given a module with each way of importing the engine
    module = tmp_path / "bad.py"
    module.write_text(
        "import root_access.tasks\n"
        "from root_access.arns import root_arn\n"
        "from ..tasks import FEATURES\n"
        "from root_access import sweep\n"
        "from .aws import FEATURES as F\n"
    )
    # when
    modules = [name for _, name in _imported_modules(module)]
    # then the engine imports are named as such, the simulator's own are not
    assert modules == [
        "root_access.tasks",
        "root_access.arns",
        "root_access.tasks",
        "root_access",
        "root_access.sweep",
        "root_access.simulator.aws",
    ]
