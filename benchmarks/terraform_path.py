"""Approach (d): the Terraform path, driven by :mod:`benchmarks.organization_scale`.

A private copy of ``modules/``, ``scripts/`` and ``src/root_access/`` gets the root
configuration ``benchmarks/terraform/main.tf``, which uses the audit module (``data
"external"`` over ``scripts/audit.py``) and the removal module (``terraform_data``
local-exec of ``scripts/delete.py``) for every account. ``terraform init`` runs from the
offline provider mirror (``terraform_offline``) and is not measured; the measured steps
are ``terraform plan -out`` (the audit and the scope listing run) and ``terraform apply``
of that saved plan (the removal runs; data sources are not read again).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Step", "prepare"]

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SUCCESS = frozenset(
    {"root_credentials_present", "no_root_credentials", "deleted", "already_absent"}
)
_IGNORE = shutil.ignore_patterns(
    ".terraform", ".terraform.lock.hcl", "*.tfstate", "*.tfstate.*", "*.tfplan", "__pycache__"
)


@dataclass(frozen=True)
class Step:
    """One measured Terraform command: ``completed(returncode)`` counts finished accounts."""

    name: str
    argv: list[str]
    cwd: Path
    completed: Callable[[int], int]


def _copy(work: Path) -> Path:
    root = work / "terraform"
    shutil.rmtree(root, ignore_errors=True)
    for part in ("modules", "scripts"):
        shutil.copytree(REPO / part, root / part, ignore=_IGNORE)
    shutil.copytree(REPO / "src" / "root_access", root / "src" / "root_access", ignore=_IGNORE)
    configuration = root / "benchmark"
    shutil.copytree(HERE / "terraform", configuration, ignore=_IGNORE)
    (configuration / "terraform.tfvars.json").write_text(
        json.dumps({"python_executable": sys.executable}), encoding="utf-8"
    )
    return configuration


def prepare(
    env: Mapping[str, str], work: Path, targets: frozenset[str]
) -> tuple[dict[str, str], list[Step]]:
    """Copy, write the provider mirror and ``terraform init``; return the environment to
    run Terraform with and the ``plan`` and ``apply`` steps.

    Raises ``subprocess.CalledProcessError`` when ``init`` fails, and
    ``terraform_offline``'s errors when no Terraform engine is usable.
    """
    from terraform_offline.mirror import prepare as prepare_mirror

    configuration = _copy(work)
    environment = {**env, **prepare_mirror(work / "mirror")}
    terraform = str(Path(environment["PATH"].split(":", 1)[0]) / "terraform")
    subprocess.run(
        [terraform, "init", "-input=false", "-no-color"],
        cwd=configuration,
        env=environment,
        check=True,
        capture_output=True,
    )

    def planned(returncode: int) -> int:
        return len(targets) if returncode == 0 else 0

    def applied(returncode: int) -> int:
        evidence = configuration / "evidence.jsonl"
        if not evidence.exists():
            return 0
        done = set()
        for line in evidence.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            if record.get("record") == "account" and record.get("outcome") in SUCCESS:
                done.add(record["account_id"])
        return len(done & targets)

    plan = [terraform, "plan", "-input=false", "-no-color", "-out=bench.tfplan"]
    apply = [terraform, "apply", "-input=false", "-no-color", "bench.tfplan"]
    return environment, [
        Step("plan", plan, configuration, planned),
        Step("apply", apply, configuration, applied),
    ]
