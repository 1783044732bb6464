"""Schema parity: the aws stand-in against the real provider's schema.

The reference (fixtures/aws_schema_reference.json) is extracted from cdktn-provider-aws
25.8.1 (= hashicorp/aws 6.69.1, generated from the real schema) by
offline/tools/extract_reference_schema.py. Not comparable from that source: ``sensitive``
flags and block ``max_items``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytestmark = pytest.mark.terraform

REFERENCE = json.loads(
    (Path(__file__).parent / "fixtures" / "aws_schema_reference.json").read_text()
)
FLAGS = ("required", "optional", "computed")


def normalise(attributes):
    """name -> {type, required, optional, computed} with absent flags as False."""
    return {
        name: {"type": a["type"], **{flag: bool(a.get(flag, False)) for flag in FLAGS}}
        for name, a in attributes.items()
    }


def test_reference_records_its_source():
    # given / when / then
    assert REFERENCE["source"]["package"] == "cdktn-provider-aws"
    assert REFERENCE["source"]["version"] == "25.8.1"
    assert REFERENCE["source"]["provider_version"] == "6.69.1"


@pytest.mark.parametrize(
    ("section", "type_name"),
    [
        ("resource_schemas", "aws_iam_organizations_features"),
        ("resource_schemas", "aws_organizations_delegated_administrator"),
        ("resource_schemas", "aws_organizations_policy"),
        ("resource_schemas", "aws_organizations_policy_attachment"),
        ("data_source_schemas", "aws_caller_identity"),
        ("data_source_schemas", "aws_organizations_organization"),
        ("data_source_schemas", "aws_organizations_organizational_unit"),
    ],
)
def test_type_schema_matches_real_provider(stand_in_schema, section, type_name):
    # given the reference and the stand-in's schema from `terraform providers schema -json`
    expected = REFERENCE[section][type_name]["attributes"]
    # when
    actual = normalise(stand_in_schema[section][type_name]["block"]["attributes"])
    # then names, types (set vs list, object shapes) and required/optional/computed agree
    assert actual == expected
    assert stand_in_schema[section][type_name]["block"].get("block_types", {}) == {}


def test_stand_in_serves_exactly_the_referenced_types(stand_in_schema):
    # given / when / then
    assert sorted(stand_in_schema["resource_schemas"]) == sorted(REFERENCE["resource_schemas"])
    assert sorted(stand_in_schema["data_source_schemas"]) == sorted(
        REFERENCE["data_source_schemas"]
    )


def test_provider_arguments_match_real_provider(stand_in_schema):
    # given
    block = stand_in_schema["provider"]["block"]
    # when
    actual = normalise(block["attributes"])
    # then every top-level argument exists with the real type and flags
    assert actual == REFERENCE["provider"]["attributes"]


def test_provider_blocks_are_a_faithful_subset(stand_in_schema):
    # given
    blocks = stand_in_schema["provider"]["block"]["block_types"]
    reference = REFERENCE["provider"]["block_types"]
    # when
    mismatches = {
        f"{name}.{attribute}": (spec["type"], reference[name]["attributes"].get(attribute))
        for name, block in blocks.items()
        for attribute, spec in block["block"]["attributes"].items()
        if {"type": spec["type"]} != reference[name]["attributes"].get(attribute)
    }
    # then
    assert {name: b["nesting_mode"] for name, b in blocks.items()} == {
        name: reference[name]["nesting"] for name in blocks
    }
    assert mismatches == {}
    assert sorted(blocks) == ["assume_role", "default_tags", "endpoints", "ignore_tags"]
