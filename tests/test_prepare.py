"""One preparation step for every door (issue 10 item 1, issue 11 item 4).

Against the in-process simulator: one preflight and one ``DescribeAccount`` per explicit
account id per run; region, profile and endpoint resolved once with empty meaning unset;
a mismatched STS endpoint refused before any call; ``RegionDisabledException`` on
AssumeRoot stops the run.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import boto3
import botocore.handlers
import pytest
from botocore.awsrequest import AWSResponse

from root_access import (
    PreflightError,
    RootTask,
    Selection,
    UsageError,
    audit,
    open_session,
    prepare,
    resolve_targets,
)
from root_access.cli import main
from root_access.clients import check_sts_endpoint, resolve_region
from root_access.simulator import Simulator
from root_access.sweep import RegionDisabledError

PREFLIGHT = (
    ("sts", "GetCallerIdentity"),
    ("organizations", "DescribeOrganization"),
    ("organizations", "ListAWSServiceAccessForOrganization"),
    ("iam", "ListOrganizationsFeatures"),
    ("organizations", "ListDelegatedAdministrators"),
)


def _caller_calls(sim: Simulator) -> Counter[tuple[str, str]]:
    """The caller's calls (the management account), not the root sessions'."""
    return Counter((c.service, c.action) for c in sim.calls if c.account_id == "111111111111")


def test_delete_credentials_of_one_account_prepares_once(
    cli_env: Simulator, capsys: pytest.CaptureFixture[str]
) -> None:
    # given the default scenario
    # when
    code = main(["delete-credentials", "--accounts", "222222222222", "--yes", "--format", "json"])
    capsys.readouterr()
    # then one preflight's calls and one DescribeAccount, no other Organizations read
    calls = _caller_calls(cli_env)
    assert code == 0
    assert {call: calls[call] for call in PREFLIGHT} == dict.fromkeys(PREFLIGHT, 1)
    assert calls[("organizations", "DescribeAccount")] == 1
    assert sorted(a for s, a in calls if s == "organizations") == sorted(
        [
            "DescribeOrganization",
            "ListAWSServiceAccessForOrganization",
            "ListDelegatedAdministrators",
            "DescribeAccount",
        ]
    )


def test_resolve_targets_describes_each_explicit_account_once(simulator: Simulator) -> None:
    # given
    selection = Selection(accounts=("222222222222", "444444444444"))
    # when
    ids = [t.account_id for t in resolve_targets(simulator.session(), selection=selection)]
    # then
    calls = _caller_calls(simulator)
    assert ids == ["222222222222", "444444444444"]
    assert calls[("organizations", "DescribeAccount")] == 2
    assert calls[("sts", "GetCallerIdentity")] == 1


def test_prepare_returns_the_run_context(simulator: Simulator) -> None:
    # given / when
    run = prepare(
        simulator.session(),
        task=RootTask.AUDIT,
        account_id="222222222222",
        max_workers=1,
    )
    # then
    assert (run.region, run.task, run.warnings, run.selection) == (
        simulator.region,
        RootTask.AUDIT,
        (),
        None,
    )
    assert run.account is not None
    assert (run.account.account_id, run.account.skip) == ("222222222222", None)
    assert run.preflight.management_account_id == "111111111111"


def test_prepare_refuses_bad_input_before_any_call(simulator: Simulator) -> None:
    # given / when
    with pytest.raises(UsageError) as both:
        prepare(simulator.session(), selection=Selection(all=True), account_id="222222222222")
    with pytest.raises(UsageError) as malformed:
        prepare(simulator.session(), account_id="2222")
    # then
    assert str(both.value) == "name either a selection or one account_id, not both"
    assert str(malformed.value).startswith("malformed account id '2222'")
    assert simulator.calls == []


# ---------------------------------------------------------------------------
# Region, profile and endpoints: one resolution, empty means unset


def _session(region: str | None = None) -> boto3.Session:
    return boto3.Session(aws_access_key_id="k", aws_secret_access_key="s", region_name=region)


@pytest.mark.parametrize(
    ("argument", "explicit", "environ", "expected"),
    [
        ("eu-west-1", "us-west-2", {"AWS_REGION": "ap-south-1"}, "eu-west-1"),
        ("", "us-west-2", {"AWS_REGION": "ap-south-1"}, "us-west-2"),
        (
            None,
            None,
            {"AWS_REGION": "ap-south-1", "AWS_DEFAULT_REGION": "eu-north-1"},
            "ap-south-1",
        ),
        (None, None, {"AWS_REGION": "", "AWS_DEFAULT_REGION": "eu-north-1"}, "eu-north-1"),
    ],
)
def test_region_order_argument_session_aws_region_aws_default_region(
    argument: str | None, explicit: str | None, environ: dict[str, str], expected: str
) -> None:
    assert resolve_region(_session(explicit), argument, environ=environ) == expected


def test_no_region_anywhere_is_a_usage_error() -> None:
    with pytest.raises(UsageError) as raised:
        resolve_region(_session(), "", environ={"AWS_REGION": "", "AWS_DEFAULT_REGION": ""})
    assert str(raised.value) == (
        "no AWS region: pass --region or set AWS_REGION (STS must use a regional endpoint)"
    )


def _config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, **environ: str) -> None:
    config = tmp_path / "config"
    config.write_text("[default]\nregion = ca-central-1\n[profile prod]\nregion = sa-east-1\n")
    for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_REGION", "AWS_DEFAULT_REGION"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    for name, value in environ.items():
        monkeypatch.setenv(name, value)


@pytest.mark.parametrize(
    ("profile", "environ", "expected"),
    [
        (None, {"AWS_PROFILE": ""}, ("default", "ca-central-1")),
        ("", {}, ("default", "ca-central-1")),
        ("", {"AWS_PROFILE": "prod"}, ("prod", "sa-east-1")),
        ("prod", {"AWS_PROFILE": ""}, ("prod", "sa-east-1")),
        ("prod", {"AWS_DEFAULT_REGION": ""}, ("prod", "sa-east-1")),
        ("prod", {"AWS_REGION": "eu-west-3"}, ("prod", "eu-west-3")),
    ],
)
def test_open_session_takes_empty_profile_and_region_as_unset(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    profile: str | None,
    environ: dict[str, str],
    expected: tuple[str, str],
) -> None:
    # given a config with [default] and [profile prod]
    _config(tmp_path, monkeypatch, **environ)
    # when
    session = open_session(profile=profile, region="")
    # then
    assert (session.profile_name, session.region_name) == expected


def test_open_session_names_a_missing_profile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _config(tmp_path, monkeypatch, AWS_PROFILE="nope")
    with pytest.raises(UsageError) as raised:
        open_session()
    assert str(raised.value) == "AWS profile 'nope' not found: check --profile or ~/.aws/config"


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        (
            {"AWS_ENDPOINT_URL_STS": "https://sts.eu-west-1.amazonaws.com"},
            "AWS_ENDPOINT_URL_STS=https://sts.eu-west-1.amazonaws.com names region eu-west-1 but "
            "requests are signed for region us-east-1: make them agree (set --region eu-west-1 "
            "or point AWS_ENDPOINT_URL_STS at https://sts.us-east-1.amazonaws.com)",
        ),
        (
            {
                "AWS_ENDPOINT_URL_STS": "",
                "AWS_ENDPOINT_URL": "https://sts-fips.us-west-2.amazonaws.com",
            },
            "AWS_ENDPOINT_URL=https://sts-fips.us-west-2.amazonaws.com names region us-west-2 but "
            "requests are signed for region us-east-1: make them agree (set --region us-west-2 "
            "or point AWS_ENDPOINT_URL at https://sts.us-east-1.amazonaws.com)",
        ),
        (
            {"AWS_ENDPOINT_URL_STS": "https://sts.amazonaws.com"},
            "AWS_ENDPOINT_URL_STS=https://sts.amazonaws.com is the global STS endpoint, which has "
            "no AssumeRoot: point it at the regional endpoint of us-east-1 "
            "(https://sts.us-east-1.amazonaws.com) or unset it",
        ),
    ],
)
def test_sts_endpoint_naming_another_region_is_refused(
    environ: dict[str, str], message: str
) -> None:
    with pytest.raises(UsageError) as raised:
        check_sts_endpoint("us-east-1", environ)
    assert str(raised.value) == message


@pytest.mark.parametrize(
    "environ",
    [
        {},
        {"AWS_ENDPOINT_URL_STS": ""},
        {"AWS_ENDPOINT_URL_STS": "https://sts.us-east-1.amazonaws.com"},
        {"AWS_ENDPOINT_URL": "http://127.0.0.1:5000"},
        {"AWS_ENDPOINT_URL_STS": "https://vpce-0123-abcd.sts.us-east-1.vpce.amazonaws.com"},
    ],
)
def test_sts_endpoints_that_fit_the_region_are_used(environ: dict[str, str]) -> None:
    check_sts_endpoint("us-east-1", environ)


def test_mismatched_sts_endpoint_is_refused_by_the_cli_before_any_call(
    cli_env: Simulator, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # given
    monkeypatch.setenv("AWS_ENDPOINT_URL_STS", "https://sts.eu-west-1.amazonaws.com")
    # when
    code = main(["audit", "--all", "--region", "us-east-1"])
    out, err = capsys.readouterr()
    # then
    assert (code, out) == (2, "")
    assert err.startswith(
        "root-access: error: AWS_ENDPOINT_URL_STS=https://sts.eu-west-1.amazonaws.com names "
        "region eu-west-1 but requests are signed for region us-east-1"
    )
    assert err.count("\n") == 1
    assert cli_env.calls == []


# ---------------------------------------------------------------------------
# RegionDisabledException on AssumeRoot stops the run

REGION_DISABLED = (
    b'<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error>'
    b"<Type>Sender</Type><Code>RegionDisabledException</Code><Message>STS is not activated "
    b"in this region for account:111111111111. Your account administrator can activate STS "
    b"in this region using the IAM Console.</Message></Error><RequestId>r-1</RequestId>"
    b"</ErrorResponse>"
)


def _region_disabled(session: boto3.Session) -> list[str]:
    """AWS answers every AssumeRoot with ``RegionDisabledException`` (HTTP 403), as STS
    does when the region is not active; the rest of the simulator answers as usual."""
    attempts: list[str] = []

    def answer(request: Any, **_: Any) -> AWSResponse | None:
        attempts.append(request.url)
        return AWSResponse(request.url, 403, {"Content-Type": "text/xml"}, _Raw(REGION_DISABLED))

    session.events.register("before-send.sts.AssumeRoot", answer)
    return attempts


class _Raw:
    def __init__(self, body: bytes) -> None:
        self._body = body

    def stream(self, **_: Any) -> Any:
        yield self._body

    def read(self, *_: Any) -> bytes:
        return self._body


@pytest.mark.parametrize("max_workers", [1, 4])
def test_region_disabled_stops_the_run_at_the_first_occurrence(
    simulator: Simulator, max_workers: int
) -> None:
    # given STS not active in the run's region
    session = simulator.session()
    attempts = _region_disabled(session)
    # when
    with pytest.raises(RegionDisabledError) as raised:
        list(audit(session, selection=Selection(all=True), max_workers=max_workers))
    # then one line naming the region and how to activate it; the run stopped
    assert isinstance(raised.value, PreflightError)
    assert raised.value.case == "STS-REGION-DISABLED"
    assert str(raised.value) == (
        f"AssumeRoot is refused in region {simulator.region} (RegionDisabledException: STS is "
        "not activated in this region for account:111111111111. Your account administrator can "
        f"activate STS in this region using the IAM Console.): activate STS in {simulator.region} "
        "(IAM console > Account settings > Security Token Service (STS) > Endpoints > "
        "Activate) or pass --region of an active region; the run stopped before any further "
        "account"
    )
    assert 1 <= len(attempts) <= max_workers
    assert [c for c in simulator.calls if c.account_id != "111111111111"] == []


@pytest.mark.parametrize("argv", [["--profile", ""], []])
def test_an_empty_profile_is_unset_through_the_whole_run(
    cli_env: Simulator,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    argv: list[str],
) -> None:
    # given AWS_PROFILE set to the empty string (and maybe --profile "")
    monkeypatch.setenv("AWS_PROFILE", "")
    # when a run that assumes root sessions
    code = main([*argv, "audit", "--accounts", "222222222222", "--format", "json"])
    out, err = capsys.readouterr()
    # then the environment's keys and region are used, in the caller and the workers
    assert (code, err) == (0, "")
    assert '"account_id": "222222222222"' in out


def test_an_empty_region_argument_is_unset(
    cli_env: Simulator, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # given the region only in AWS_REGION, and --region ""
    monkeypatch.delenv("AWS_DEFAULT_REGION")
    monkeypatch.setenv("AWS_REGION", cli_env.region)
    # when
    code = main(["--region", "", "status", "--format", "json"])
    out, err = capsys.readouterr()
    # then
    assert (code, err) == (0, "")
    assert f'"region": "{cli_env.region}"' in out


def test_region_disabled_is_one_line_and_exit_2_through_the_cli(
    cli_env: Simulator, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # given STS answers every AssumeRoot with RegionDisabledException, in every session the
    # CLI builds (a handler botocore installs on each new session)
    attempts: list[str] = []

    def answer(request: Any, **_: Any) -> AWSResponse:
        attempts.append(request.url)
        return AWSResponse(request.url, 403, {"Content-Type": "text/xml"}, _Raw(REGION_DISABLED))

    monkeypatch.setattr(
        botocore.handlers,
        "BUILTIN_HANDLERS",
        [("before-send.sts.AssumeRoot", answer), *botocore.handlers.BUILTIN_HANDLERS],
    )
    # when
    code = main(["audit", "--all", "--max-workers", "1", "--format", "csv"])
    out, err = capsys.readouterr()
    # then the run stopped at the first account, one line, exit 2; only accounts never
    # assumed into (the skipped management account) were written before the stop
    assert code == 2
    assert [row.split(",")[4] for row in out.splitlines()[1:]] in (
        [],
        ["skipped_management_account"],
    )
    assert err.startswith(
        f"root-access: error: AssumeRoot is refused in region {cli_env.region} "
        "(RegionDisabledException: STS is not activated in this region"
    )
    assert err.endswith("the run stopped before any further account\n")
    assert err.count("\n") == 1
    assert len(attempts) == 1
