"""Work the worker runs on every tick (escalation steps, page delivery, heartbeats…).
Apps register their functions in AppConfig.ready(); each returns how much it did."""

from collections.abc import Callable

PeriodicJob = Callable[[], int]
_jobs: list[PeriodicJob] = []


def register(job: PeriodicJob) -> None:
    if job not in _jobs:
        _jobs.append(job)


def jobs() -> list[PeriodicJob]:
    return list(_jobs)


def run_once() -> int:
    """Run every registered job once; returns the total work done (0 means idle)."""
    return sum(job() for job in _jobs)
