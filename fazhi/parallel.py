"""Rendering on every core: independent jobs shared between this process and forked workers.

Rendering ten thousand pages is pure CPU work in Python, so one process uses one core. The
jobs (closures over the data set) are shared out by index: a forked worker inherits them,
runs its share and sends back only the results, which are put back in job order. The
output is the same as running the jobs one after another, in order.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

__all__ = ["MIN_JOBS_PER_WORKER", "available_cores", "run_jobs"]

T = TypeVar("T")

#: Below this many jobs per process, forking costs more than it saves.
MIN_JOBS_PER_WORKER = 500

# The jobs of the current `run_jobs` call, inherited by the forked workers.
_jobs: Sequence[Callable[[], object]] = ()


def available_cores() -> int:
    """The cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def run_jobs(jobs: Sequence[Callable[[], T]], workers: int | None = None) -> list[T]:
    """The results of `jobs`, in order, computed by up to `workers` processes.

    `workers` defaults to the available cores. Fewer are used when there are too few jobs
    to be worth a process, and one (no fork) where ``fork`` is not available. An exception
    raised by a job is raised here.
    """
    global _jobs
    wanted = available_cores() if workers is None else workers
    count = max(1, min(wanted, len(jobs) // MIN_JOBS_PER_WORKER))
    if count == 1 or "fork" not in multiprocessing.get_all_start_methods():
        return [job() for job in jobs]
    _jobs = jobs
    try:
        with ProcessPoolExecutor(count - 1, mp_context=multiprocessing.get_context("fork")) as pool:
            shares = [pool.submit(_run_share, k, count) for k in range(1, count)]
            results: list[T | None] = [None] * len(jobs)
            results[0::count] = _run_share(0, count)
            for k, share in enumerate(shares, start=1):
                results[k::count] = share.result()
    finally:
        _jobs = ()
    return results  # type: ignore[return-value]  # every slot is filled


def _run_share(first: int, step: int) -> list[object]:
    return [job() for job in _jobs[first::step]]
