"""Running one function over many items in worker processes, results in input order.

``fluxparams check DIR`` uses it to spread files over every core. Worker start-up
is not free, so small runs stay in this process (see :func:`worker_count`).
"""
from __future__ import annotations

import os
import sys
from typing import Callable, Iterator, List, Sequence, TypeVar

T = TypeVar("T")
R = TypeVar("R")


def cpu_count() -> int:
    """The cores this process may use (a container's or taskset's limit, not the machine's)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def worker_count(jobs: int, items: int, min_per_worker: int) -> int:
    """How many processes pay for ``items`` items: 1 means run here.

    ``jobs`` 0 is every core; each worker needs at least ``min_per_worker`` items
    to earn back its start-up.
    """
    limit = jobs if jobs > 0 else cpu_count()
    return max(1, min(limit, items // max(1, min_per_worker)))


def map_chunks(fn: Callable[[List[T]], List[R]], items: Sequence[T], workers: int) -> Iterator[R]:
    """``fn`` over chunks of ``items`` in ``workers`` processes; the results in input order.

    Results are yielded as chunks finish, so the caller can work (write a cache) while the
    workers go on. ``fn`` must be a module-level function (workers receive it by name). On
    Linux workers are forked, so what this process has already imported is not loaded again.
    """
    import multiprocessing
    import threading
    from concurrent.futures import ProcessPoolExecutor

    # Forking a process that runs other threads (an embedding server, a test runner) can
    # copy a held lock into the child; then the platform's default start method is used.
    fork = sys.platform.startswith("linux") and threading.active_count() == 1
    context = multiprocessing.get_context("fork" if fork else None)
    # several chunks per worker even out uneven items; few enough to keep pickling cheap
    size = max(1, -(-len(items) // (workers * 4)))
    chunks = [list(items[i:i + size]) for i in range(0, len(items), size)]
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        for part in pool.map(fn, chunks):
            yield from part
