"""The constructs follow the HCL modules: same variable names, same allowed values.

Reads each module's variables.tf with python-hcl2, so a variable added, renamed or
removed in HCL fails here until the matching construct follows. The constructs' patterns,
names and bounds are compared with the engine's rules table (``root_access.rules``, also
the source the HCL validations are held to by the repository's ``tests/test_rules.py``).
"""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any

import hcl2
import pytest
from root_access import rules

from root_access_cdktf import (
    FEATURES,
    RESULT_MODES,
    TASKS,
    OrganizationRootAccess,
    PrivilegedTask,
    RootAccessManagement,
    RootCredentialsAudit,
    RootCredentialsRemoval,
    RootGuardrails,
    _engine,
    props,
    validation,
)

REPOSITORY = Path(__file__).resolve().parents[2]
CONSTRUCT_ONLY = {"scope", "id", "source", "providers", "depends_on", "self"}

CONSTRUCTS: list[tuple[type[Any], Path]] = [
    (RootAccessManagement, REPOSITORY),
    (OrganizationRootAccess, REPOSITORY / "modules" / "organization-root-access"),
    (RootCredentialsAudit, REPOSITORY / "modules" / "root-credentials-audit"),
    (RootCredentialsRemoval, REPOSITORY / "modules" / "root-credentials-removal"),
    (PrivilegedTask, REPOSITORY / "modules" / "privileged-task"),
    (RootGuardrails, REPOSITORY / "modules" / "root-guardrails"),
]


def variables(module: Path) -> dict[str, dict[str, Any]]:
    with (module / "variables.tf").open() as handle:
        parsed = hcl2.load(handle)
    return {name.strip('"'): body for block in parsed["variable"] for name, body in block.items()}


@pytest.mark.parametrize(
    ("construct", "module"), CONSTRUCTS, ids=lambda v: getattr(v, "__name__", "")
)
def test_construct_props_are_exactly_the_module_variables(
    construct: type[Any], module: Path
) -> None:
    # given the construct's keyword props and the module's variables
    props = set(inspect.signature(construct.__init__).parameters) - CONSTRUCT_ONLY

    # when compared by name
    declared = set(variables(module))

    # then they are the same set
    assert sorted(props) == sorted(declared)


def test_feature_and_task_names_match_the_module_validations() -> None:
    # given the validation conditions of the root module's variables
    declared = variables(REPOSITORY)
    features_rules = str(declared["enabled_features"]["validation"])
    task_rules = str(declared["privileged_tasks"]["validation"])

    # when / then every name the constructs allow is one the module allows, and the
    # module's default features are FEATURES
    assert [feature for feature in FEATURES if f'"{feature}"' not in features_rules] == []
    assert [task for task in TASKS if f'"{task}"' not in task_rules] == []
    default = [value.strip('"') for value in declared["enabled_features"]["default"]]
    assert default == list(FEATURES)


def outputs(module: Path) -> dict[str, dict[str, Any]]:
    with (module / "outputs.tf").open() as handle:
        parsed = hcl2.load(handle)
    return {name.strip('"'): body for block in parsed["output"] for name, body in block.items()}


def properties(construct: type[Any]) -> set[str]:
    return {
        name
        for klass in construct.__mro__
        if klass.__module__.startswith("root_access_cdktf.")
        for name, member in vars(klass).items()
        if isinstance(member, property)
    }


def test_audit_construct_has_a_property_for_every_module_output() -> None:
    # given the audit module's outputs
    declared = set(outputs(REPOSITORY / "modules" / "root-credentials-audit"))

    # when / then the construct reads each one, and nothing else
    assert sorted(properties(RootCredentialsAudit)) == sorted(declared)


def test_root_construct_has_a_property_for_every_audit_output_of_the_root_module() -> None:
    # given the root module's outputs that pass on the audit module's
    audit_outputs = {
        name
        for name, body in outputs(REPOSITORY).items()
        if "module.root_credentials_audit." in str(body["value"])
    }
    assert "accounts_not_audited" in audit_outputs

    # when / then the construct reads each one
    assert sorted(audit_outputs - properties(RootAccessManagement)) == []


def test_result_modes_match_the_module_validations() -> None:
    # given the validation conditions of both modules' result-mode variables
    rules = [
        str(variables(REPOSITORY / "modules" / "root-credentials-audit")["result_mode"]),
        str(variables(REPOSITORY)["audit_result_mode"]),
    ]

    # when / then both allow exactly the modes the constructs allow
    modes = ", ".join(f'"{mode}"' for mode in RESULT_MODES)
    assert [rule for rule in rules if f"contains([{modes}]" not in rule] == []


def test_prop_checks_are_the_engine_rules_table() -> None:
    # given the engine's one table of input rules (root_access.rules, installed beside the
    # constructs in the test venvs) and the constructs' own copies, which ship without it
    # when / then the patterns, names and bounds are the same, so the props refuse exactly
    # what the Terraform variables (tests/test_rules.py) and the engine refuse
    assert {
        "account_id": validation.ACCOUNT_ID.pattern,
        "target_id": validation.OU_ID.pattern,
        "region": validation.REGION.pattern,
        "request_id": props.REQUEST_ID.pattern,
        "bucket_name": props.BUCKET_NAME.pattern,
        "queue_url": props.queue_url_pattern("222222222222").pattern,
        "features": validation.FEATURES,
        "tasks": props.TASKS,
        "max_workers": (1, _engine.MAX_WORKERS),
    } == {
        "account_id": rules.ACCOUNT_ID.regex,
        "target_id": rules.TARGET_ID.regex,
        "region": rules.REGION.regex,
        "request_id": rules.REQUEST_ID.regex,
        "bucket_name": rules.BUCKET_NAME.regex,
        "queue_url": rules.queue_url_regex("222222222222"),
        "features": rules.FEATURES.values,
        "tasks": rules.PRIVILEGED_TASKS.values,
        "max_workers": (rules.MAX_WORKERS.minimum, rules.MAX_WORKERS.maximum),
    }
    assert rules.FEATURES.default == validation.FEATURES


@pytest.mark.parametrize("value", [0, 65, 1, 64])
def test_max_workers_prop_accepts_exactly_the_rule_range(value: int) -> None:
    # given the rule's range and a value at or just past one of its bounds
    rule = rules.MAX_WORKERS

    # when the construct props are checked
    try:
        checked = _engine.engine_variables(
            "P", python_executable=None, profile=None, region_name=None, max_workers=value
        )
        outcome = str(checked["max_workers"])
    except validation.PropsError as error:
        outcome = str(error)

    # then values inside pass unchanged and values outside name the rule's range
    expected = (
        str(value)
        if rule.contains(value)
        else f"P.max_workers: {value} is out of range; allowed values are {rule.span}"
    )
    assert outcome == expected


def test_details_match_the_module_validations() -> None:
    # given the validation conditions of every module's detail variable
    rules_text = [
        str(variables(module)["detail"])
        for module in (
            REPOSITORY,
            REPOSITORY / "modules" / "root-credentials-audit",
            REPOSITORY / "modules" / "root-credentials-removal",
        )
    ]

    # when / then each allows exactly the values the constructs allow
    values = ", ".join(f'"{value}"' for value in validation.DETAILS)
    assert [rule for rule in rules_text if f"contains([{values}]" not in rule] == []


def test_fail_on_conditions_are_the_engines_and_the_modules() -> None:
    # given the drift conditions of the engine (root_access.drift) and of the HCL variables
    from root_access.drift import FAIL_ON

    rules_text = [
        str(variables(REPOSITORY)["audit_fail_on"]),
        str(variables(REPOSITORY / "modules" / "root-credentials-audit")["fail_on"]),
    ]

    # when / then the constructs allow exactly the engine's names, as the modules do (and
    # the detail and result-mode values are the rules table's too)
    assert (
        rules.DETAIL.values,
        rules.RESULT_MODE.values,
        rules.FAIL_ON.values,
    ) == (validation.DETAILS, validation.RESULT_MODES, validation.FAIL_ON)
    assert tuple(FAIL_ON) == validation.FAIL_ON
    values = ", ".join(f'"{value}"' for value in validation.FAIL_ON)
    assert [rule for rule in rules_text if f"contains([{values}]" not in rule] == []
    with pytest.raises(validation.PropsError):
        validation.fail_on(["presnt"], "RootCredentialsAudit.fail_on")
    assert validation.fail_on(["present"], "RootCredentialsAudit.fail_on") == ["present"]
