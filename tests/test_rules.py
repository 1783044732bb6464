"""One source for input rules: the engine reads ``root_access.rules``; the Terraform
variables are held to it here.

The HCL ``validation`` blocks cannot import Python, so this test parses every
``variables.tf`` (root module and ``modules/*``) with python-hcl2 and rebuilds, from the
rules table, the exact condition and error message each validated variable must carry:
a regex, range, default, allowed value or message changed on one side only fails here.
A validation block outside the table may not hold a regex, an allowed-values list or a
numeric bound (those belong in the table). The cdktf props are held to the same table by
``cdktf/tests/test_modules_parity.py``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import hcl2
import pytest

from root_access import (
    FEATURES,
    Selection,
    UsageError,
    rules,
)
from root_access.clients import validate_max_attempts
from root_access.executor import validate_max_workers
from root_access.rules import (
    ACCOUNT_ID,
    BUCKET_NAME,
    MAX_WORKERS,
    PRIVILEGED_TASKS,
    REGION,
    REQUEST_ID,
    TARGET_ID,
)
from root_access.sessions import validate_duration
from root_access.unlock_s3 import validate_bucket_name
from root_access.unlock_sqs import parse_queue_url

REPOSITORY = Path(__file__).resolve().parents[1]
ROOT = "."
ORGANIZATION = "modules/organization-root-access"
AUDIT = "modules/root-credentials-audit"
REMOVAL = "modules/root-credentials-removal"
TASK = "modules/privileged-task"
MODULES = (
    ROOT,
    *sorted(
        str(path.parent.relative_to(REPOSITORY))
        for path in REPOSITORY.glob("modules/*/variables.tf")
    ),
)
"""The root module and every module (a new module is checked without being listed here)."""

Block = tuple[str, str]
"""One ``validation`` block: (condition without ``${}``, error message as Terraform prints it)."""

PASSWORD, S3, SQS = PRIVILEGED_TASKS.values


def _hcl(regex: str) -> str:
    """A regex as an HCL string literal's body (backslashes and quotes escaped)."""
    return regex.replace("\\", "\\\\").replace('"', '\\"')


def _choices(values: tuple[str, ...]) -> str:
    return "[" + ", ".join(f'"{value}"' for value in values) + "]"


def _selection() -> list[Block]:
    var = "var.selection"
    return [
        (
            f"alltrue([for id in concat({var}.accounts, {var}.exclude_accounts) : "
            f'can(regex("{_hcl(ACCOUNT_ID.regex)}", id))])',
            "selection.accounts and selection.exclude_accounts take "
            f'{ACCOUNT_ID.what}s, e.g. "{ACCOUNT_ID.example}".',
        ),
        (
            f"alltrue([for id in concat({var}.organizational_units, "
            f"{var}.exclude_organizational_units) : "
            f'can(regex("{_hcl(TARGET_ID.regex)}", id))])',
            "selection.organizational_units and selection.exclude_organizational_units take "
            "OU ids (ou-xxxx-yyyyyyyy) or the root id (r-xxxx).",
        ),
        (
            f"{var}.all != (length({var}.accounts) + length({var}.organizational_units) > 0)",
            "selection needs exactly one of: all = true, or a non-empty accounts / "
            "organizational_units list.",
        ),
    ]


def _requests(name: str) -> list[Block]:
    """``privileged_tasks`` (root) / ``requests`` (privileged-task)."""
    var = f"var.{name}"
    each = f"for request in values({var}) :"
    return [
        (
            f'alltrue([for id in keys({var}) : can(regex("{_hcl(REQUEST_ID.regex)}", id))])',
            f'{name} keys (request ids) must be {REQUEST_ID.what}, e.g. "{REQUEST_ID.example}".',
        ),
        (
            f"alltrue([{each} contains({_choices(PRIVILEGED_TASKS.values)}, request.task)])",
            f"{name}[*].task must be one of {', '.join(PRIVILEGED_TASKS.values)}.",
        ),
        (
            f'alltrue([{each} can(regex("{_hcl(ACCOUNT_ID.regex)}", request.account_id))])',
            f'{name}[*].account_id must be a {ACCOUNT_ID.what}, e.g. "{ACCOUNT_ID.example}".',
        ),
        (
            f'alltrue([{each} request.task != "{S3}" || length(request.buckets) > 0])',
            f"{name} with task {S3} need a non-empty buckets list (bucket names).",
        ),
        (
            f'alltrue([{each} request.task != "{SQS}" || length(request.queue_urls) > 0])',
            f"{name} with task {SQS} need a non-empty queue_urls list "
            "(https://sqs.<region>.amazonaws.com/<account>/<name>).",
        ),
        (
            f'alltrue([{each} (request.task == "{S3}" || length(request.buckets) == 0) && '
            f'(request.task == "{SQS}" || length(request.queue_urls) == 0)])',
            f"{name}: buckets belong only to {S3} and queue_urls only to {SQS}.",
        ),
        (
            f"alltrue(flatten([{each} [for bucket in request.buckets : "
            f'can(regex("{_hcl(BUCKET_NAME.regex)}", bucket))]]))',
            f"{name}[*].buckets take S3 bucket names: {BUCKET_NAME.what}.",
        ),
        (
            f"alltrue(flatten([{each} [for url in request.queue_urls : "
            f'can(regex("{_hcl(rules.queue_url_regex("${request.account_id}"))}", url))]]))',
            f"{name}[*].queue_urls must be queue URLs of the request's own account_id: "
            "https://sqs.<region>.amazonaws.com/<account_id>/<queue>.",
        ),
    ]


def _features() -> list[Block]:
    return [
        (
            "length(var.enabled_features) > 0",
            "enabled_features must not be empty: to turn the features off, lift "
            "prevent_destroy and destroy the module (see README).",
        ),
        (
            "alltrue([for feature in var.enabled_features : "
            f"contains({_choices(rules.FEATURES.values)}, feature)])",
            f"enabled_features accepts only {' and '.join(rules.FEATURES.values)} "
            "(case-sensitive).",
        ),
    ]


def _delegated_administrator() -> list[Block]:
    var = "var.delegated_administrator_account_id"
    return [
        (
            f'{var} == null || can(regex("{_hcl(ACCOUNT_ID.regex)}", {var}))',
            f'delegated_administrator_account_id must be a {ACCOUNT_ID.what}, e.g. "333333333333", '
            "or null.",
        )
    ]


def _region() -> list[Block]:
    return [
        (
            f'var.region == null || can(regex("{_hcl(REGION.regex)}", var.region))',
            f'region must be an {REGION.what} such as "{REGION.example}", or null.',
        )
    ]


def _max_workers() -> list[Block]:
    var = "var.max_workers"
    return [
        (
            f"{var} >= {MAX_WORKERS.minimum} && {var} <= {MAX_WORKERS.maximum} && "
            f"floor({var}) == {var}",
            f"max_workers must be a whole number from {MAX_WORKERS.minimum} "
            f"to {MAX_WORKERS.maximum}.",
        )
    ]


def _either(values: tuple[str, ...]) -> str:
    """``"a" or "b"`` / ``"a", "b" or "c"``: allowed values as the error messages list them."""
    quoted = [f'"{value}"' for value in values]
    return ", ".join(quoted[:-1]) + " or " + quoted[-1]


def _one_of(name: str, rule: rules.Choice) -> Callable[[], list[Block]]:
    """A string variable that takes one of ``rule``'s values."""
    return lambda: [
        (
            f"contains({_choices(rule.values)}, var.{name})",
            f"{name} must be {_either(rule.values)}.",
        )
    ]


def _fail_on(name: str) -> Callable[[], list[Block]]:
    """A list of drift condition names (``rules.FAIL_ON``)."""
    values = rules.FAIL_ON.values
    return lambda: [
        (
            f"alltrue([for condition in var.{name} : contains({_choices(values)}, condition)])",
            f"{name} takes " + " and ".join(f'"{value}"' for value in values) + ".",
        )
    ]


EXPECTED: dict[tuple[str, str], Callable[[], list[Block]]] = {
    (ROOT, "enabled_features"): _features,
    (ROOT, "delegated_administrator_account_id"): _delegated_administrator,
    (ROOT, "selection"): _selection,
    (ROOT, "privileged_tasks"): lambda: _requests("privileged_tasks"),
    (ROOT, "region"): _region,
    (ROOT, "max_workers"): _max_workers,
    (ORGANIZATION, "enabled_features"): _features,
    (ORGANIZATION, "delegated_administrator_account_id"): _delegated_administrator,
    (ORGANIZATION, "region"): _region,
    (AUDIT, "selection"): _selection,
    (AUDIT, "region"): _region,
    (AUDIT, "max_workers"): _max_workers,
    (REMOVAL, "selection"): _selection,
    (REMOVAL, "region"): _region,
    (REMOVAL, "max_workers"): _max_workers,
    (TASK, "requests"): lambda: _requests("requests"),
    (TASK, "region"): _region,
    (ROOT, "detail"): _one_of("detail", rules.DETAIL),
    (AUDIT, "detail"): _one_of("detail", rules.DETAIL),
    (REMOVAL, "detail"): _one_of("detail", rules.DETAIL),
    (ROOT, "audit_result_mode"): _one_of("audit_result_mode", rules.RESULT_MODE),
    (AUDIT, "result_mode"): _one_of("result_mode", rules.RESULT_MODE),
    (ROOT, "audit_fail_on"): _fail_on("audit_fail_on"),
    (AUDIT, "fail_on"): _fail_on("fail_on"),
}
"""Every Terraform variable whose validation enforces a rule of the table."""

DEFAULTS: dict[str, Any] = {
    "enabled_features": list(rules.FEATURES.default),
    "max_workers": MAX_WORKERS.default,
    "detail": rules.DETAIL.default[0],
    "result_mode": rules.RESULT_MODE.default[0],
    "audit_result_mode": rules.RESULT_MODE.default[0],
    "fail_on": list(rules.FAIL_ON.default),
    "audit_fail_on": list(rules.FAIL_ON.default),
}
"""Variables whose default is a rule's default (same value in every module)."""


def _variables(module: str) -> dict[str, dict[str, Any]]:
    with (REPOSITORY / module / "variables.tf").open() as handle:
        parsed = hcl2.load(handle)
    return {name.strip('"'): body for block in parsed["variable"] for name, body in block.items()}


def _blocks(body: dict[str, Any]) -> list[Block]:
    blocks = []
    for validation in body.get("validation", []):
        condition = validation["condition"]
        assert condition.startswith("${")
        assert condition.endswith("}")
        blocks.append((condition[2:-1], json.loads(validation["error_message"])))
    return blocks


def _default(value: Any) -> Any:
    if isinstance(value, list):
        return [json.loads(item) for item in value]
    if isinstance(value, str) and value.startswith('"'):
        return json.loads(value)  # python-hcl2 keeps a string's quotes
    return value


@pytest.mark.parametrize(
    ("module", "variable"), sorted(EXPECTED), ids=[f"{m}:{v}" for m, v in sorted(EXPECTED)]
)
def test_terraform_validation_is_built_from_the_rules(module: str, variable: str) -> None:
    # given the variable as declared in HCL
    declared = _variables(module)[variable]

    # when its validation blocks are read
    blocks = _blocks(declared)

    # then they are exactly the blocks the rules table yields, in order
    assert blocks == EXPECTED[(module, variable)]()


@pytest.mark.parametrize("module", MODULES)
def test_terraform_defaults_are_the_rule_defaults(module: str) -> None:
    # given the module's variables
    declared = _variables(module)

    # when the defaults of rule-bound variables are read
    defaults = {name: _default(declared[name]["default"]) for name in DEFAULTS if name in declared}

    # then each is the rule's default
    assert defaults == {name: DEFAULTS[name] for name in defaults}


def test_terraform_max_workers_descriptions_state_the_rule_range() -> None:
    # given the max_workers variables of every module that has one
    descriptions = {
        module: json.loads(_variables(module)["max_workers"]["description"])
        for module in MODULES
        if "max_workers" in _variables(module)
    }

    # when / then each names the rule's range
    span = f"{MAX_WORKERS.minimum} to {MAX_WORKERS.maximum}"
    assert sorted(descriptions) == sorted([ROOT, AUDIT, REMOVAL])
    assert [module for module, text in descriptions.items() if span not in text] == []


_REGEX_LITERAL = re.compile(r'regex\("((?:[^"\\]|\\.)*)"')
_BOUND = re.compile(r"[<>]=?\s*[1-9]|==\s*[1-9]")
_LIST = re.compile(r"contains\(\[([^\]]*)\]")


def _conditions(module: str) -> list[tuple[str, str]]:
    """(variable, condition) of every validation block of the module."""
    return [
        (name, condition)
        for name, body in _variables(module).items()
        for condition, _ in _blocks(body)
    ]


def test_every_module_is_checked() -> None:
    # given / when / then the glob finds the root module and the four modules
    assert [
        module for module in (ROOT, ORGANIZATION, AUDIT, REMOVAL, TASK) if module not in MODULES
    ] == []


@pytest.mark.parametrize("module", MODULES)
def test_every_terraform_regex_is_a_rule_regex(module: str) -> None:
    # given the regexes of the table (the queue URL as the Terraform variables build it)
    known = {rule.regex for rule in rules.RULES if isinstance(rule, rules.Pattern)}
    known.add(rules.queue_url_regex("${request.account_id}"))

    # when every regex literal of every validation is read back from HCL
    literals = [
        (name, literal.replace('\\"', '"').replace("\\\\", "\\"))
        for name, condition in _conditions(module)
        for literal in _REGEX_LITERAL.findall(condition)
    ]

    # then each is a rule's regex, character for character (add new ones to root_access.rules)
    assert [(name, literal) for name, literal in literals if literal not in known] == []


@pytest.mark.parametrize("module", MODULES)
def test_no_validation_outside_the_table_copies_a_rule(module: str) -> None:
    # given every validated variable of the module that the table does not bind
    unbound = [
        (name, condition)
        for name, condition in _conditions(module)
        if (module, name) not in EXPECTED
    ]
    names = {
        value for rule in rules.RULES if isinstance(rule, rules.Choice) for value in rule.values
    }

    # when their conditions are searched for numeric bounds and lists of the table's names
    copied = [
        (name, condition)
        for name, condition in unbound
        if _BOUND.search(condition)
        or any(names & set(json.loads(f"[{items}]")) for items in _LIST.findall(condition))
    ]

    # then none holds one (bind the variable in EXPECTED, its rule in root_access.rules)
    assert copied == []


# --- the engine reads the same table ----------------------------------------------------


def test_every_regex_reads_the_same_in_python_and_terraform_re2_subset() -> None:
    # given every pattern of the table
    patterns = [rule for rule in rules.RULES if isinstance(rule, rules.Pattern)]

    # when / then each is anchored and free of constructs RE2 lacks (lookaround, backrefs)
    assert [
        p.name for p in patterns if not (p.regex.startswith("^") and p.regex.endswith("$"))
    ] == []
    assert [p.name for p in patterns if re.search(r"\(\?[=!<]|\\[1-9]", p.regex)] == []
    assert [p.name for p in patterns if not p.matches(p.example)] == []


@pytest.mark.parametrize(
    ("validate", "rule", "message"),
    [
        (validate_max_workers, rules.MAX_WORKERS, "max workers {value!r} is out of range: use "),
        (validate_duration, rules.DURATION_SECONDS, "duration {value!r} is out of range: "),
        (validate_max_attempts, rules.MAX_ATTEMPTS, "max attempts {value!r} is out of range: "),
    ],
    ids=["max_workers", "duration_seconds", "max_attempts"],
)
def test_engine_ranges_are_the_rule_ranges(
    validate: Callable[[int], int], rule: rules.Range, message: str
) -> None:
    # given the rule's bounds
    inside = [rule.minimum, rule.default, rule.maximum]
    outside = [rule.minimum - 1, rule.maximum + 1]

    # when / then the engine accepts exactly the bounds and names range and default
    assert [validate(value) for value in inside] == inside
    for value in outside:
        with pytest.raises(UsageError) as raised:
            validate(value)
        text = str(raised.value)
        assert text.startswith(message.format(value=value))
        assert f"{rule.span}" in text
        assert f"(default {rule.default})" in text


def test_the_chosen_max_workers_rule() -> None:
    # given / when / then one range for every door (issue 10, item 3) and the default
    # chosen by measurement (issue 12, item 4; docs/benchmarks.md, "Worker count")
    assert (MAX_WORKERS.minimum, MAX_WORKERS.maximum, MAX_WORKERS.default) == (1, 64, 32)


@pytest.mark.parametrize(
    ("field", "value", "valid"),
    [
        ("accounts", "222222222222", True),
        ("accounts", "22222222222", False),
        ("accounts", "2222222222222", False),
        ("organizational_units", "ou-abcd-11111111", True),
        ("organizational_units", "r-abcd", True),
        ("organizational_units", "ou-abc-11111111", False),
        ("organizational_units", "o-abcdefghij", False),
    ],
)
def test_selection_accepts_exactly_what_the_terraform_regex_accepts(
    field: str, value: str, valid: bool
) -> None:
    # given the regex the Terraform variable uses for this field
    pattern = ACCOUNT_ID if field == "accounts" else TARGET_ID

    # when the engine validates a selection naming the value
    try:
        selection = (
            Selection(accounts=(value,))
            if field == "accounts"
            else Selection(organizational_units=(value,))
        )
        selection.validate()
        accepted = True
    except UsageError:
        accepted = False

    # then the engine and the Terraform regex agree
    assert (accepted, pattern.matches(value)) == (valid, valid)


def test_engine_names_come_from_the_rules() -> None:
    # given / when / then the engine's feature names and its queue-name and bucket checks
    assert FEATURES is rules.FEATURES.values
    assert validate_bucket_name("a" * 63) == "a" * 63
    with pytest.raises(UsageError):
        validate_bucket_name("a" * 64)
    url = "https://sqs.eu-west-1.amazonaws.com/222222222222/" + "q" * 80 + ".fifo"
    assert parse_queue_url(url, account_id="222222222222") == (url, "eu-west-1")
    assert re.fullmatch(rules.queue_url_regex("222222222222"), url) is not None


def test_engine_detail_result_mode_and_fail_on_come_from_the_rules() -> None:
    # given the engine's audit detail, drift conditions and the audit script's threshold
    from typing import get_args

    from root_access.audit import DEFAULT_DETAIL, DETAIL_MODES, Detail, validate_detail
    from root_access.cli.options import OPTIONS
    from root_access.drift import FAIL_ON

    # when / then each is the table's (one definition, every door)
    assert DETAIL_MODES is rules.DETAIL.values
    assert get_args(Detail) == rules.DETAIL.values
    assert rules.DETAIL.default == (DEFAULT_DETAIL,)
    assert [validate_detail(value) for value in rules.DETAIL.values] == list(rules.DETAIL.values)
    assert tuple(FAIL_ON) == rules.FAIL_ON.values
    assert OPTIONS["detail"].kwargs["choices"] == rules.DETAIL.values
    assert OPTIONS["detail"].default == rules.DETAIL.default[0]
    assert rules.COMPACT_ABOVE == 1000


def test_result_mode_descriptions_state_the_compact_threshold() -> None:
    # given the result-mode variables of the root module and the audit module
    descriptions = [
        json.loads(_variables(ROOT)["audit_result_mode"]["description"]),
        json.loads(_variables(AUDIT)["result_mode"]["description"]),
    ]

    # when / then each names the threshold and where it is defined
    threshold = f"full up to {rules.COMPACT_ABOVE:,} accounts"
    assert [text for text in descriptions if threshold not in text] == []
    assert [text for text in descriptions if "root_access.rules COMPACT_ABOVE" not in text] == []


def test_docs_list_the_rule_table() -> None:
    # given the rules page
    page = (REPOSITORY / "docs" / "input-rules.md").read_text()

    # when / then it holds the table as the module prints it
    assert rules.markdown_table() in page


# --- the other doors: the installed CLI and the Terraform task script -------------------


def _clean_env(tmp_path: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key in {"PATH", "HOME", "LANG"}}
    env.update(
        COLUMNS="200",
        AWS_CONFIG_FILE=str(tmp_path / "absent-config"),
        AWS_SHARED_CREDENTIALS_FILE=str(tmp_path / "absent-credentials"),
    )
    return env


def test_cli_help_names_the_rule_tasks_and_ranges(tmp_path: Path) -> None:
    # given the installed console script
    script = shutil.which("root-access", path=str(Path(sys.executable).parent))
    assert script is not None, "the root-access console script is not installed"

    # when its top-level help is printed
    run = subprocess.run(
        [script, "--help"], env=_clean_env(tmp_path), capture_output=True, text=True, check=True
    )
    lines = [line.strip() for line in run.stdout.splitlines()]

    # then every privileged task is a command and the ranges are the rules'
    assert [
        task
        for task in PRIVILEGED_TASKS.values
        if not any(line.split(" ")[0] == task for line in lines)
    ] == []
    assert (
        f"--max-workers N       accounts worked on at once, {MAX_WORKERS.span} "
        f"(default {MAX_WORKERS.default})"
    ) in lines
    duration = rules.DURATION_SECONDS
    assert (
        f"--duration-seconds S  AssumeRoot session length, {duration.span} "
        f"(default {duration.default})"
    ) in lines


def test_task_script_accepts_the_rule_tasks(tmp_path: Path) -> None:
    # given scripts/task.py run as Terraform's local-exec runs it, with an unknown task
    env = {**_clean_env(tmp_path), "ROOT_ACCESS_REQUEST": json.dumps({"task": "reset"})}

    # when it runs
    run = subprocess.run(
        [sys.executable, str(REPOSITORY / "scripts" / "task.py")],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )

    # then it refuses the request naming its one own task and exactly the rules' tasks
    assert (run.returncode, run.stdout, run.stderr) == (
        2,
        "",
        "root-access: unknown task 'reset': expected one of enable-trusted-access, "
        f"{', '.join(PRIVILEGED_TASKS.values)}\n",
    )
