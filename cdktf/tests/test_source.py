"""source.py: where the constructs find the Terraform modules."""

from __future__ import annotations

from pathlib import Path

import pytest

from root_access_cdktf.source import SOURCE_ENV, module_source, repository_root

REPOSITORY = Path(__file__).resolve().parents[2]


def test_the_checkout_is_found_from_the_editable_install() -> None:
    # given / when the package runs from this checkout
    # then the repository root (with modules/ and scripts/) is the default source
    assert repository_root() == REPOSITORY


def test_local_sources_are_absolute(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # given a relative local source (cdktf would copy it into cdktf.out/assets without
    # the scripts/ beside the modules)
    monkeypatch.chdir(tmp_path)

    # when resolved for the root module and a submodule
    root = module_source(None, "./vendor/root-access")
    audit = module_source("root-credentials-audit", "./vendor/root-access")

    # then both are absolute paths into that directory
    assert root == str(tmp_path / "vendor" / "root-access")
    assert audit == str(tmp_path / "vendor" / "root-access" / "modules" / "root-credentials-audit")


def test_remote_sources_get_the_module_subdirectory_before_the_query() -> None:
    # given a remote address pinned to a tag
    base = "git::https://example.com/root-access.git?ref=v0.1.0"

    # when resolved
    # then Terraform's //subdir syntax is used and the ref kept
    assert module_source(None, base) == base
    assert module_source("privileged-task", base) == (
        "git::https://example.com/root-access.git//modules/privileged-task?ref=v0.1.0"
    )


def test_the_environment_variable_overrides_the_checkout(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # given ROOT_ACCESS_TERRAFORM_SOURCE naming another checkout
    monkeypatch.setenv(SOURCE_ENV, str(tmp_path))

    # when no source prop is given
    # then the variable wins
    assert module_source("organization-root-access") == str(
        tmp_path / "modules" / "organization-root-access"
    )
