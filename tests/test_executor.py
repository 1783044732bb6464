"""The bounded worker pool streams lazily and keeps the in-flight count bounded."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from root_access import UsageError
from root_access.executor import run_bounded


def test_every_item_is_worked_once() -> None:
    # given
    items = range(100)
    # when
    results = sorted(run_bounded(items, lambda n: n * 2, max_workers=4))
    # then
    assert results == [n * 2 for n in range(100)]


def test_the_source_is_consumed_lazily_with_bounded_in_flight() -> None:
    # given a source that counts how far it was consumed
    pulled = 0

    def source() -> Iterator[int]:
        nonlocal pulled
        for n in range(10_000):
            pulled += 1
            yield n

    release = threading.Event()

    def work(n: int) -> int:
        release.wait(5)
        return n

    # when the first result is taken
    stream = run_bounded(source(), work, max_workers=3)
    release.set()
    first = next(stream)
    pulled_at_first = pulled
    stream.close()
    # then at most 2 * max_workers items were pulled before the first result
    assert first in range(6)
    assert pulled_at_first == 6


def test_an_exception_in_work_reaches_the_consumer() -> None:
    # given
    def work(n: int) -> int:
        if n == 3:
            raise KeyError(n)
        return n

    # when / then
    with pytest.raises(KeyError):
        list(run_bounded(range(5), work, max_workers=1))


@pytest.mark.parametrize("workers", [0, 65, True, "4"])
def test_bad_max_workers_is_a_usage_error(workers: object) -> None:
    # given / when / then
    with pytest.raises(UsageError) as raised:
        list(run_bounded([1], lambda n: n, max_workers=workers))  # type: ignore[arg-type]
    assert str(raised.value) == (f"max workers {workers!r} is out of range: use 1..64 (default 32)")
