"""The shared multi-account run: eager checks, then a stream with bounded work in flight."""

from __future__ import annotations

import pytest

from root_access import Outcome, Selection, UsageError, audit, delete_credentials
from root_access.simulator import Scenario, Simulator


def test_results_stream_before_the_organization_is_done() -> None:
    # given a 300-account organization
    scenario = Scenario.generate(accounts=300, with_credentials=0.3, seed=7)
    with Simulator(scenario) as sim:
        stream = audit(sim.session(), selection=Selection(all=True), max_workers=2)
        # when the first result arrives
        first = next(stream)
        assumed_at_first = len([c for c in sim.calls if c.action == "AssumeRoot"])
        stream.close()  # type: ignore[attr-defined]
    # then only a handful of accounts had been started (2 workers, 4 in flight at most)
    assert first.outcome in set(Outcome)
    assert 0 <= assumed_at_first <= 4


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"max_workers": 0}, "max workers 0 is out of range: use 1..64 (default 32)"),
        ({"max_attempts": 0}, "max attempts 0 is out of range: use 1..50 (default 10)"),
        ({"max_attempts": 51}, "max attempts 51 is out of range: use 1..50 (default 10)"),
    ],
)
def test_bad_run_options_make_no_aws_call(
    simulator: Simulator, options: dict[str, int], message: str
) -> None:
    # given / when
    with pytest.raises(UsageError) as raised:
        audit(
            simulator.session(),
            selection=Selection(accounts=("222222222222",)),
            **options,  # type: ignore[arg-type]
        )
    # then
    assert str(raised.value) == message
    assert simulator.calls == []


def test_resume_without_a_journal_is_a_usage_error(simulator: Simulator) -> None:
    # given / when
    with pytest.raises(UsageError) as raised:
        delete_credentials(
            simulator.session(), selection=Selection(accounts=("222222222222",)), resume=True
        )
    # then
    assert str(raised.value) == "resume needs the journal of the interrupted run: pass journal="
    assert simulator.calls == []


def test_assume_root_client_is_adaptive_and_every_other_client_standard(
    simulator: Simulator,
) -> None:
    # given
    from root_access.sweep import single_account
    from root_access.tasks import RootTask

    # when
    context, target = single_account(
        simulator.session(),
        account_id="222222222222",
        task=RootTask.AUDIT,
        region=None,
        duration_seconds=900,
        journal=None,
        dry_run=False,
        preflight_result=None,
        validate=lambda: None,
    )

    # then
    assert target.account_id == "222222222222"
    assert context.sts.meta.config.retries == {"total_max_attempts": 10, "mode": "adaptive"}
    assert context.config.retries == {"total_max_attempts": 10, "mode": "standard"}
