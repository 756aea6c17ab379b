"""Work the worker runs on every tick (escalation steps, page delivery, heartbeats…).
Apps register their functions in AppConfig.ready(); each returns how much it did."""

import logging
from collections.abc import Callable

from kizuki.core.outage import DATABASE_ERRORS

logger = logging.getLogger(__name__)

PeriodicJob = Callable[[], int]
_jobs: list[PeriodicJob] = []


def register(job: PeriodicJob) -> None:
    if job not in _jobs:
        _jobs.append(job)


def jobs() -> list[PeriodicJob]:
    return list(_jobs)


def run_once() -> int:
    """Run every registered job once; returns the total work done (0 means idle).
    A bug in one job does not hold up the others; a database outage stops the round, so
    the worker can back off until the database is back."""
    done = 0
    for job in _jobs:
        try:
            done += job()
        except DATABASE_ERRORS:
            raise
        except Exception:
            logger.exception("periodic job %s failed; it runs again on the next tick", job)
    return done
