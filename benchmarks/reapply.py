"""Re-apply of a tainted removal at organization scale (issue 12, part 3).

``python -m benchmarks.reapply [--accounts 1000] [--output benchmarks/results/reapply.json]``

One organization of ``accounts`` accounts (the management account and ``accounts - 1``
members, each with a password and an active access key; one member, ``FAILING``, with
two keys) on one simulator server. ``scripts/delete.py`` runs as Terraform's local-exec
runs it (request in ``ROOT_ACCESS_REQUEST``, evidence journal in a file):

1. ``first``: every root session expires after two calls, so exactly the member with two
   keys fails (reading its keys is one step of three calls) and the run exits 1: the
   removal would be tainted.
2. ``reapply``: the fault is fixed; the same request again (the tainted re-apply). It
   resumes: counted are its ``AssumeRoot`` calls (target: at most 5).
3. ``afresh``: for comparison, a changed request (``delete_virtual_mfa`` flipped) on the
   now clean organization: what every re-apply cost before resume.

The AWS calls are the server's counters; wall times are reported, never asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from root_access.rules import MAX_WORKERS
from root_access.simulator import Scenario, SimulatorServer

__all__ = ["main", "scenario"]

HERE = Path(__file__).resolve().parent
SCRIPT = HERE.parent / "scripts" / "delete.py"
FIRST_MEMBER = 400_000_000_000


def failing_member(accounts: int) -> str:
    """The member holding two keys: the one that fails in the first run."""
    return str(FIRST_MEMBER + (accounts - 1) // 2)


def scenario(accounts: int) -> Scenario:
    """``accounts`` accounts: the management account and members with a password and one
    active key each; :func:`failing_member` holds two keys."""
    failing = failing_member(accounts)
    members = [str(FIRST_MEMBER + index) for index in range(accounts - 1)]
    return Scenario.from_dict(
        {
            "region": "us-east-1",
            "organizations": [
                {
                    "management_account": {
                        "id": "111111111111",
                        "name": "management",
                        "email": "management@example.com",
                    },
                    "trusted_access": ["iam.amazonaws.com"],
                    "features": ["RootCredentialsManagement", "RootSessions"],
                    "accounts": [
                        {
                            "id": member,
                            "name": f"member-{index}",
                            "root_credentials": {
                                "password": True,
                                "access_keys": [{"status": "Active"}]
                                * (2 if member == failing else 1),
                            },
                        }
                        for index, member in enumerate(members)
                    ],
                }
            ],
        },
        source="benchmarks/reapply.py",
    )


def _run(
    server: SimulatorServer, request: Mapping[str, Any], base_env: Mapping[str, str]
) -> dict[str, Any]:
    server.clear_calls()
    env = {**base_env, **server.env, "ROOT_ACCESS_REQUEST": json.dumps(request)}
    started = time.perf_counter()
    finished = subprocess.run(
        [sys.executable, str(SCRIPT)], env=env, capture_output=True, text=True, check=False
    )
    wall = time.perf_counter() - started
    counts = server.call_counts()
    result = json.loads(finished.stdout) if finished.stdout.strip() else {}
    return {
        "exit": finished.returncode,
        "wall_seconds": round(wall, 2),
        "assume_root_calls": sum(
            n for (service, action, _), n in counts.items() if action == "AssumeRoot"
        ),
        "aws_calls": sum(counts.values()),
        "accounts_reported": result.get("summary", {}).get("total"),
        "failed_accounts": result.get("failed_accounts"),
        "resume": result.get("resume"),
    }


def main(argv: list[str] | None = None) -> int:
    """Run the three steps and write the JSON result; exit 0 (results, not a test)."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.reapply")
    parser.add_argument("--accounts", type=int, default=1000)
    parser.add_argument("--output", type=Path, default=HERE / "results" / "reapply.json")
    arguments = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="root-access-reapply-") as directory:
        work = Path(directory)
        base_env = {
            k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "ROOT_ACCESS_"))
        }
        base_env.update(
            {
                "AWS_CONFIG_FILE": str(work / "no-aws-config"),
                "AWS_SHARED_CREDENTIALS_FILE": str(work / "no-aws-credentials"),
                "AWS_EC2_METADATA_DISABLED": "true",
                "ROOT_ACCESS_LOG_LEVEL": "WARNING",
            }
        )
        request = {
            "task": "delete-root-credentials",
            "all": True,
            "evidence_path": str(work / "evidence.jsonl"),
            "max_workers": MAX_WORKERS.default,
            "region": "us-east-1",
        }
        with SimulatorServer(scenario(arguments.accounts), keep_call_records=False) as server:
            server.set_faults({"session_expiry": {"after_calls": 2}})
            first = _run(server, request, base_env)
            server.set_faults({})
            reapply = _run(server, request, base_env)
            afresh = _run(server, {**request, "delete_virtual_mfa": False}, base_env)
    result = {
        "benchmark": "reapply",
        "accounts": arguments.accounts,
        "failing_member": failing_member(arguments.accounts),
        "first": first,
        "reapply": reapply,
        "afresh": afresh,
        "target": "re-apply after one failed account out of 1,000: at most 5 AssumeRoot calls",
        "met": reapply["assume_root_calls"] <= 5,
    }
    arguments.output.parent.mkdir(parents=True, exist_ok=True)
    arguments.output.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
