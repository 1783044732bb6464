"""terraform_offline.pytest_plugin: the fixtures other test suites use."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from terraform_offline.pytest_plugin import copy_module

CONFIGS = Path(__file__).parent / "configs"


def test_copy_module_leaves_out_lock_files_state_and_terraform_dirs(tmp_path):
    # given a module directory with Terraform working files
    source = tmp_path / "repo" / "examples" / "one"
    (source / ".terraform" / "providers").mkdir(parents=True)
    (source / "main.tf").write_text("# module\n")
    (source / ".terraform.lock.hcl").write_text("# stand-in hashes\n")
    (source / "terraform.tfstate").write_text("{}")
    (source / "terraform.tfstate.backup").write_text("{}")
    (tmp_path / "repo" / "modules").mkdir()
    (tmp_path / "repo" / "modules" / "x.tf").write_text("# x\n")
    # when copied with the repository as root
    copy = copy_module(source, tmp_path / "work", root=tmp_path / "repo")
    # then
    assert copy == tmp_path / "work" / "repo" / "examples" / "one"
    files = sorted(str(p.relative_to(tmp_path / "work")) for p in (tmp_path / "work").rglob("*"))
    assert files == [
        "repo",
        "repo/examples",
        "repo/examples/one",
        "repo/examples/one/main.tf",
        "repo/modules",
        "repo/modules/x.tf",
    ]


def test_copy_module_rejects_directory_outside_root(tmp_path):
    # given / when / then
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    with pytest.raises(ValueError, match="is not inside"):
        copy_module(tmp_path / "a", tmp_path / "work", root=tmp_path / "b")


def test_terraform_env_names_the_mirror_config(terraform_env, terraform_mirror):
    # given / when / then
    assert terraform_env["TF_CLI_CONFIG_FILE"] == str(terraform_mirror / "terraform.rc")
    assert terraform_env["PATH"].split(os.pathsep)[0] == str(terraform_mirror / "bin")


@pytest.mark.terraform
def test_terraform_test_fixture_applies_a_private_copy(terraform_test, terraform_engine, tmp_path):
    # given a tftest runner from the plugin's factory
    tf = terraform_test(
        CONFIGS / "external_cycle", root=CONFIGS, env={"TF_VAR_python": sys.executable}
    )
    # when
    tf.setup()
    tf.apply()
    outputs = tf.output()
    # then it ran in this test's tmp_path with the session engine
    assert Path(tf.tfdir).is_relative_to(tmp_path)
    assert tf.binary == terraform_engine.path
    assert outputs["query"] == {"accounts": '["222222222222"]', "region": "us-east-1"}
    assert not (CONFIGS / "external_cycle" / ".terraform").exists()
