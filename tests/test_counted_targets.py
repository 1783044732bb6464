"""``on_targets``: the engine gives the number of targets before the first result, with
one listing of the organization's accounts (the progress display's total)."""

from __future__ import annotations

from root_access import audit, delete_credentials
from root_access.results import AccountResult
from root_access.selection import Selection
from root_access.simulator import Simulator


def _listings(simulator: Simulator) -> int:
    return sum(1 for call in simulator.calls if call.action == "ListAccounts")


def test_audit_gives_the_total_before_the_first_result_with_one_listing(
    simulator: Simulator,
) -> None:
    # given the default organization, every account selected
    events: list[object] = []

    # when the audit streams with the hook
    results = audit(simulator.session(), selection=Selection(all=True), on_targets=events.append)
    for result in results:
        events.append(result)

    # then the total comes first, equals the number of results, and the accounts were
    # listed once
    count = sum(1 for event in events if isinstance(event, AccountResult))
    assert events[0] == count
    assert [event for event in events[1:] if not isinstance(event, AccountResult)] == []
    assert _listings(simulator) == 1


def test_without_the_hook_the_listing_is_the_same(simulator: Simulator) -> None:
    # given / when the same audit without the hook
    results = list(audit(simulator.session(), selection=Selection(all=True)))

    # then one listing too
    assert results != []
    assert _listings(simulator) == 1


def test_the_total_counts_skipped_accounts_and_leaves_out_excluded_ones(
    simulator: Simulator,
) -> None:
    # given the whole organization but two accounts
    seen: list[int] = []
    selection = Selection(all=True, exclude_accounts=("222222222222", "333333333333"))

    # when a dry-run deletion streams with the hook
    results = list(
        delete_credentials(
            simulator.session(), selection=selection, dry_run=True, on_targets=seen.append
        )
    )

    # then the total is the number of results, the management account's skip included
    skipped = [r.outcome.value for r in results if r.outcome.value.startswith("skipped_")]
    assert seen == [len(results)]
    assert "skipped_management_account" in skipped
    assert [r.account_id for r in results if r.account_id in ("222222222222", "333333333333")] == []
