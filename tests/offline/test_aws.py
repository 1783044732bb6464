"""The hashicorp/aws stand-in, run by real Terraform against moto and the simulator."""

from __future__ import annotations

import json

import boto3
import pytest

pytestmark = pytest.mark.terraform


def organizations(env):
    return boto3.Session(
        aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"],
        region_name=env["AWS_REGION"],
    ).client("organizations", endpoint_url=env["AWS_ENDPOINT_URL"])


def test_delegated_administrator_lifecycle_and_data_sources(workdir, moto_server):
    # given an organization with one member, served by moto
    member = moto_server["MEMBER_ACCOUNT_ID"]
    wd = workdir("aws_organization", env=moto_server)
    variables = [
        "-var",
        f"delegated_administrator={member}",
        "-var",
        "service_principal=guardduty.amazonaws.com",
    ]
    assert wd.run("init", "-no-color").returncode == 0
    # when applied
    applied = wd.run("apply", "-auto-approve", "-no-color", *variables)
    outputs = {k: v["value"] for k, v in json.loads(wd.run("output", "-json").stdout).items()}
    replan = wd.run("plan", "-detailed-exitcode", "-no-color", *variables)
    # then the registration exists in the organization, and the state says so
    assert applied.returncode == 0, applied.stderr
    admins = organizations(moto_server).list_delegated_administrators(
        ServicePrincipal="guardduty.amazonaws.com"
    )["DelegatedAdministrators"]
    assert [a["Id"] for a in admins] == [member]
    registered = outputs["delegated_administrator"]
    assert registered["id"] == f"{member}/guardduty.amazonaws.com"
    assert (registered["name"], registered["email"], registered["status"]) == (
        "member",
        "member@example.com",
        "ACTIVE",
    )
    assert registered["joined_timestamp"].endswith("Z")
    assert outputs["caller_account_id"] == "123456789012"
    organization = outputs["organization"]
    assert organization["master_account_id"] == "123456789012"
    assert organization["feature_set"] == "ALL"
    assert [a["id"] for a in organization["non_master_accounts"]] == [member]
    assert sorted(a["id"] for a in organization["accounts"]) == sorted(["123456789012", member])
    assert organization["roots"][0]["name"] == "Root"
    assert replan.returncode == 0, replan.stdout + replan.stderr
    shown = wd.run("show", "-json").stdout
    state = (wd.path / "terraform.tfstate").read_text()
    assert moto_server["AWS_SECRET_ACCESS_KEY"] not in shown + state + applied.stdout


def test_delegated_administrator_import_then_destroy(workdir, moto_server):
    # given a registration made outside Terraform
    member = moto_server["MEMBER_ACCOUNT_ID"]
    organizations(moto_server).register_delegated_administrator(
        AccountId=member, ServicePrincipal="ssm.amazonaws.com"
    )
    wd = workdir("aws_organization", env=moto_server)
    variables = [
        "-var",
        f"delegated_administrator={member}",
        "-var",
        "service_principal=ssm.amazonaws.com",
    ]
    wd.run("init")
    # when imported by `account/service`, planned, then destroyed
    imported = wd.run(
        "import",
        "-no-color",
        *variables,
        "aws_organizations_delegated_administrator.this",
        f"{member}/ssm.amazonaws.com",
    )
    plan = wd.run("plan", "-detailed-exitcode", "-no-color", *variables)
    destroyed = wd.run("destroy", "-auto-approve", "-no-color", *variables)
    # then
    assert imported.returncode == 0, imported.stderr
    assert plan.returncode == 0, plan.stdout
    assert destroyed.returncode == 0, destroyed.stderr
    assert (
        organizations(moto_server).list_delegated_administrators(
            ServicePrincipal="ssm.amazonaws.com"
        )["DelegatedAdministrators"]
        == []
    )


def test_import_with_malformed_id_is_rejected(workdir, moto_server):
    # given
    wd = workdir("aws_organization", env=moto_server)
    wd.run("init")
    # when
    run = wd.run(
        "import",
        "-no-color",
        "-var",
        "delegated_administrator=222222222222",
        "-var",
        "service_principal=s",
        "aws_organizations_delegated_administrator.this",
        "222222222222",
    )
    # then
    assert run.returncode == 1
    assert "unexpected format for ID (222222222222), expected ACCOUNTID/SERVICEPRINCIPAL" in (
        " ".join(run.stderr.split())
    )


def test_delegated_administrator_arguments_are_validated_as_the_provider_does(workdir, moto_server):
    # given an 11-digit account id, then an empty service principal
    # (verify.ValidAccountID and validation.StringLenBetween(1, 128) in
    # internal/service/organizations/delegated_administrator.go)
    wd = workdir("aws_organization", env=moto_server)
    wd.run("init")
    # when
    short = wd.run(
        "plan",
        "-json",
        "-var",
        "delegated_administrator=22222222222",
        "-var",
        "service_principal=s",
    )
    empty = wd.run(
        "plan",
        "-json",
        "-var",
        "delegated_administrator=222222222222",
        "-var",
        "service_principal=",
    )
    # then
    assert short.returncode == 1
    assert [d["summary"] for d in short.diagnostics()] == [
        '"account_id" doesn\'t look like AWS Account ID (exactly 12 digits): "22222222222"'
    ]
    assert empty.returncode == 1
    assert [d["summary"] for d in empty.diagnostics()] == [
        "expected length of service_principal to be in the range (1 - 128), got "
    ]


def test_mock_provider_plans_in_terraform_test(workdir):
    # given a module and a .tftest.hcl mocking the aws stand-in
    wd = workdir("mock_test")
    wd.run("init")
    # when
    run = wd.run("test", "-no-color")
    # then
    assert run.returncode == 0, run.stdout + run.stderr
    assert "2 passed, 0 failed." in run.stdout


def test_unknown_feature_name_fails_validate(workdir, moto_server):
    # given a feature name IAM does not have
    wd = workdir("aws_features", env=moto_server)
    wd.run("init")
    # when
    run = wd.run("validate", "-json")
    bad = wd.run("plan", "-json", "-var", 'enabled_features=["RootPasswords"]')
    # then
    assert json.loads(run.stdout)["valid"] is True
    [diagnostic] = bad.diagnostics()
    assert diagnostic["summary"] == "Invalid Attribute Value Match"
    assert diagnostic["detail"] == (
        'Attribute enabled_features[Value("RootPasswords")] value must be one of: '
        '["RootCredentialsManagement" "RootSessions"], got: "RootPasswords"'
    )


def test_missing_profile_is_a_diagnostic_not_a_crash(workdir, tmp_path):
    # given a provider naming a profile absent from an empty shared config
    (tmp_path / "config").write_text("")
    wd = workdir(
        "aws_profile",
        env={
            "AWS_CONFIG_FILE": str(tmp_path / "config"),
            "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "config"),
        },
    )
    wd.run("init")
    # when
    run = wd.run("plan", "-json", "-var", "profile=nope")
    # then
    [diagnostic] = run.diagnostics()
    assert diagnostic["summary"] == "failed to get shared config profile, nope"
    assert diagnostic["detail"] == "The config profile (nope) could not be found"
