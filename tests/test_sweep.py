"""The shared multi-account run: eager checks, then a stream with bounded work in flight."""

from __future__ import annotations

from root_access import Outcome, Selection, audit
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
