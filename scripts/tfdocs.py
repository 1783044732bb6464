#!/usr/bin/env python3
"""Generate the reference part of each Terraform module's README (development tool).

terraform-docs is a Go binary that no reachable registry ships, so this does its job for
our modules with python-hcl2 (dev extra): it reads the module's ``*.tf`` files and writes
the sections terraform-docs' markdown table format writes, in its order (Requirements,
Providers, Modules, Resources, Inputs, Outputs) between ``<!-- BEGIN_TF_DOCS -->`` and
``<!-- END_TF_DOCS -->``. As in terraform-docs, Providers are those the module's own
resources and data sources use (version: the ``required_providers`` constraint; no lock
file is ever committed), Resources link to the registry's docs page of each type, and an
empty section reads "No providers." / "No modules." / "No resources.". The hand-written
usage part above the markers is left alone.

Usage (from the repository root)::

    .venv/bin/python scripts/tfdocs.py            # rewrite every module README
    .venv/bin/python scripts/tfdocs.py --check    # exit 1 and name the stale READMEs

Modules: every ``modules/<name>/`` (reference in its ``README.md``) and the root module
(reference in ``docs/terraform.md``, since the top ``README.md`` introduces the project).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

__all__ = [
    "BEGIN",
    "END",
    "declared",
    "main",
    "module_calls",
    "module_dirs",
    "readme_path",
    "reference",
    "render_readme",
    "resources",
]

BEGIN = "<!-- BEGIN_TF_DOCS -->"
END = "<!-- END_TF_DOCS -->"
ROOT = Path(__file__).resolve().parent.parent


def module_dirs(root: Path = ROOT) -> list[Path]:
    """The root module and every ``modules/<name>/`` holding a ``variables.tf``."""
    found = [root, *sorted(path.parent for path in root.glob("modules/*/variables.tf"))]
    return [path for path in found if (path / "variables.tf").is_file()]


def _load(path: Path) -> dict[str, Any]:
    import hcl2

    if not path.is_file():
        return {}
    with path.open(encoding="utf-8") as handle:
        return dict(hcl2.load(handle))


def _unquote(value: Any) -> Any:
    """python-hcl2 8 keeps HCL quotes and ``${…}`` around expressions: strip them."""
    if isinstance(value, str):
        if len(value) >= 2 and value[0] == value[-1] == '"':
            return json.loads(value) if "\\" in value else value[1:-1]
        if value.startswith("${") and value.endswith("}"):
            return value[2:-1]
        return value
    if isinstance(value, list):
        return [_unquote(item) for item in value]
    if isinstance(value, dict):
        return {
            _unquote(key): _unquote(item)
            for key, item in value.items()
            if not str(key).startswith("__")
        }
    return value


def _blocks(document: dict[str, Any], kind: str) -> dict[str, dict[str, Any]]:
    blocks: dict[str, dict[str, Any]] = {}
    for entry in document.get(kind, []):
        for name, body in entry.items():
            blocks[_unquote(name)] = _unquote(body)
    return blocks


def declared(module: Path) -> tuple[list[str], list[str]]:
    """Sorted variable names and output names declared by ``module``."""
    variables = _blocks(_load(module / "variables.tf"), "variable")
    outputs = _blocks(_load(module / "outputs.tf"), "output")
    return sorted(variables), sorted(outputs)


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def _code(text: str) -> str:
    return f"`{_cell(text)}`" if text != "" else ""


def _default(body: dict[str, Any]) -> tuple[str, str]:
    if "default" not in body:
        return "n/a", "yes"
    return _code(json.dumps(body["default"], ensure_ascii=False)), "no"


def _module_files(module: Path) -> list[dict[str, Any]]:
    """Every ``*.tf`` file of ``module`` (not its tests), parsed."""
    return [_load(path) for path in sorted(module.glob("*.tf"))]


def resources(module: Path) -> list[tuple[str, str, str, str]]:
    """(mode, type, name, provider local name) of every resource and data source declared
    in ``module``: managed resources first, each kind sorted by type then name (the order
    terraform-docs' ``--sort-by name`` gives)."""
    found: set[tuple[str, str, str, str]] = set()
    for document in _module_files(module):
        for kind, mode in (("resource", "managed"), ("data", "data")):
            for entry in document.get(kind, []):
                for type_name, named in entry.items():
                    for name, body in named.items():
                        resource_type = _unquote(type_name)
                        provider = resource_type.split("_", 1)[0]
                        chosen = _unquote(body).get("provider") if isinstance(body, dict) else None
                        if isinstance(chosen, str) and chosen:
                            provider = chosen.split(".", 1)[0]
                        found.add((mode, resource_type, _unquote(name), provider))
    return sorted(found, key=lambda item: (item[0] != "managed", item[1], item[2]))


def module_calls(module: Path) -> list[tuple[str, str, str]]:
    """(name, source, version) of every ``module`` block in ``module``, sorted by name; a
    ``?ref=`` in the source is shown as the version, as terraform-docs does."""
    calls = []
    for document in _module_files(module):
        for entry in document.get("module", []):
            for name, body in entry.items():
                body = _unquote(body)
                source = str(body.get("source", ""))
                version = str(body.get("version", ""))
                if not version and "?ref=" in source:
                    source, version = source.rsplit("?ref=", 1)
                calls.append((_unquote(name), source, version or "n/a"))
    return sorted(calls)


def _registry_link(source: str, constraints: str, mode: str, resource_type: str) -> str:
    """The registry docs page terraform-docs links a resource to (``latest`` unless the
    constraint pins one version)."""
    pinned = constraints.strip().lstrip("=").strip()
    version = pinned if pinned[:1].isdigit() and " " not in pinned else "latest"
    section = "resources" if mode == "managed" else "data-sources"
    return (
        f"https://registry.terraform.io/providers/{source}/{version}/docs/{section}/{resource_type}"
    )


def reference(module: Path) -> str:
    """The generated Markdown for ``module`` (without the markers)."""
    lines: list[str] = []
    terraform = {}
    for block in _load(module / "versions.tf").get("terraform", []):
        terraform.update(_unquote(block))
    required: dict[str, dict[str, Any]] = {}
    for providers in terraform.get("required_providers", []):
        required.update(providers)
    lines += ["## Requirements", "", "| Name | Version |", "|------|---------|"]
    if "required_version" in terraform:
        lines.append(f"| terraform | {_code(terraform['required_version'])} |")
    for name, spec in sorted(required.items()):
        lines.append(f"| {name} ({_cell(spec.get('source', ''))}) | {_code(spec['version'])} |")
    declared_resources = resources(module)
    used = sorted({provider for *_, provider in declared_resources})
    lines += ["", "## Providers", ""]
    if used:
        lines += ["| Name | Version |", "|------|---------|"]
        for name in used:
            version = required.get(name, {}).get("version", "")
            lines.append(f"| {name} | {_code(version) if version else 'n/a'} |")
    else:
        lines.append("No providers.")
    calls = module_calls(module)
    lines += ["", "## Modules", ""]
    if calls:
        lines += ["| Name | Source | Version |", "|------|--------|---------|"]
        for name, source, version in calls:
            lines.append(f"| {name} | {_cell(source)} | {_cell(version)} |")
    else:
        lines.append("No modules.")
    lines += ["", "## Resources", ""]
    if declared_resources:
        lines += ["| Name | Type |", "|------|------|"]
        for mode, resource_type, name, provider in declared_resources:
            spec = required.get(provider, {})
            source = spec.get("source") or f"hashicorp/{provider}"
            short = resource_type.removeprefix(f"{provider}_")
            link = _registry_link(source, str(spec.get("version", "")), mode, short)
            kind = "resource" if mode == "managed" else "data source"
            lines.append(f"| [{resource_type}.{name}]({link}) | {kind} |")
    else:
        lines.append("No resources.")
    variables = _blocks(_load(module / "variables.tf"), "variable")
    lines += [
        "",
        "## Inputs",
        "",
        "| Name | Description | Type | Default | Required |",
        "|------|-------------|------|---------|:--------:|",
    ]
    for name in sorted(variables):
        body = variables[name]
        default, required_input = _default(body)
        lines.append(
            f"| {name} | {_cell(body.get('description', ''))} | "
            f"{_code(body.get('type', 'any'))} | {default} | {required_input} |"
        )
    outputs = _blocks(_load(module / "outputs.tf"), "output")
    lines += ["", "## Outputs", "", "| Name | Description |", "|------|-------------|"]
    for name in sorted(outputs):
        lines.append(f"| {name} | {_cell(outputs[name].get('description', ''))} |")
    return "\n".join(lines) + "\n"


def readme_path(module: Path, root: Path = ROOT) -> Path:
    """Where ``module``'s reference lives: ``docs/terraform.md`` for the root module."""
    return root / "docs" / "terraform.md" if module == root else module / "README.md"


def render_readme(module: Path, root: Path = ROOT) -> tuple[str, str]:
    """(current README text, README text with a fresh reference).

    Raises ValueError when the README lacks the markers.
    """
    path = readme_path(module, root)
    current = path.read_text(encoding="utf-8") if path.is_file() else ""
    if BEGIN not in current or END not in current:
        raise ValueError(f"{path} lacks the {BEGIN} / {END} markers")
    head, rest = current.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    return current, f"{head}{BEGIN}\n{reference(module)}{END}{tail}"


def main(argv: list[str] | None = None) -> int:
    """Rewrite (or with ``--check`` verify) every module README; return the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail when a README is stale")
    parser.add_argument("--root", type=Path, default=ROOT, help="repository root")
    options = parser.parse_args(argv)
    root = options.root.resolve()
    stale: list[str] = []
    for module in module_dirs(root):
        try:
            current, fresh = render_readme(module, root)
        except ValueError as error:
            sys.stderr.write(f"tfdocs: {error}\n")
            return 2
        if current == fresh:
            continue
        path = readme_path(module, root)
        name = str(path.relative_to(root))
        if options.check:
            stale.append(name)
        else:
            path.write_text(fresh, encoding="utf-8")
            sys.stderr.write(f"tfdocs: wrote {name}\n")
    if stale:
        sys.stderr.write(
            f"tfdocs: stale: {', '.join(stale)}: run .venv/bin/python scripts/tfdocs.py\n"
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
