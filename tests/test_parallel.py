"""Rendering shared between processes gives exactly the pages of rendering in one."""

from __future__ import annotations

import os

import pytest

from fazhi import parallel
from fazhi.pipeline import generate
from tests.conftest import SAMPLE_DATA


def _square(n: int) -> int:
    return n * n


def _pid() -> int:
    return os.getpid()


def test_results_come_back_in_job_order(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "MIN_JOBS_PER_WORKER", 10)
    jobs = [lambda n=n: _square(n) for n in range(101)]
    assert parallel.run_jobs(jobs, workers=2) == [n * n for n in range(101)]


def test_jobs_run_in_two_processes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "MIN_JOBS_PER_WORKER", 10)
    pids = parallel.run_jobs([_pid] * 40, workers=2)
    assert pids[0::2] == [os.getpid()] * 20
    assert len(set(pids[1::2])) == 1 and pids[1] != os.getpid()


def test_few_jobs_stay_in_this_process() -> None:
    assert set(parallel.run_jobs([_pid] * 50, workers=2)) == {os.getpid()}


def test_a_failing_job_raises_here(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "MIN_JOBS_PER_WORKER", 10)

    def fail() -> int:
        raise ValueError("bad page name")

    jobs = [lambda: 1] * 31 + [fail]  # index 31, odd: the forked worker's share
    with pytest.raises(ValueError, match="bad page name"):
        parallel.run_jobs(jobs, workers=2)


def test_generate_on_two_processes_equals_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "MIN_JOBS_PER_WORKER", 10)
    assert generate(SAMPLE_DATA, workers=2) == generate(SAMPLE_DATA, workers=1)
