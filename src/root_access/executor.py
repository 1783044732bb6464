"""A bounded worker pool that streams: results come back as accounts complete.

The input iterable is consumed lazily, at most ``2 * max_workers`` items are in flight,
so memory stays flat for 10,000 accounts. ``work`` must turn every per-account AWS
failure into a result (one account's failure never stops the others).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from typing import TypeVar

from root_access import rules
from root_access.errors import UsageError

__all__ = ["DEFAULT_MAX_WORKERS", "MAX_WORKERS_LIMIT", "run_bounded", "validate_max_workers"]

DEFAULT_MAX_WORKERS = rules.MAX_WORKERS.default
"""Default number of accounts worked on at once."""
MAX_WORKERS_LIMIT = rules.MAX_WORKERS.maximum
"""Upper bound accepted for ``max_workers``."""

T = TypeVar("T")
R = TypeVar("R")


def validate_max_workers(max_workers: int) -> int:
    """Return ``max_workers`` if it is an int in 1..64 (``rules.MAX_WORKERS``), else raise
    :class:`UsageError`."""
    if not rules.MAX_WORKERS.contains(max_workers):
        raise UsageError(
            f"max workers {max_workers!r} is out of range: use {rules.MAX_WORKERS.span} "
            f"(default {DEFAULT_MAX_WORKERS})"
        )
    return max_workers


def run_bounded(
    items: Iterable[T], work: Callable[[T], R], *, max_workers: int = DEFAULT_MAX_WORKERS
) -> Iterator[R]:
    """Yield ``work(item)`` for every item, in completion order, with bounded concurrency.

    Exceptions raised by ``work`` propagate to the consumer (after the pool is shut
    down, pending items cancelled). Closing the iterator early cancels what has not
    started.
    """
    validate_max_workers(max_workers)
    source = iter(items)
    limit = 2 * max_workers
    pool = ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="root-access")
    pending: set[Future[R]] = set()
    exhausted = False
    try:
        while True:
            while not exhausted and len(pending) < limit:
                try:
                    item = next(source)
                except StopIteration:
                    exhausted = True
                    break
                pending.add(pool.submit(work, item))
            if not pending:
                return
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                yield future.result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
