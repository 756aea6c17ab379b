"""The worker's loops. Each keeps going through database outages: it drops the broken
connection, waits a little longer after each failure (capped) and carries on when the
database answers again. Paging must never stop because PostgreSQL restarted."""

import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from datetime import timedelta

from django.db import close_old_connections, connections
from django_tasks.base import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

from kizuki.core import clock, request_log
from kizuki.core.models import WorkerHeartbeat
from kizuki.core.outage import DATABASE_ERRORS

logger = logging.getLogger(__name__)

BEAT_EVERY_SECONDS = 5.0
FORGET_WORKERS_AFTER = timedelta(days=1)
# A worker silent this long is dead (the health check's limit too): its running jobs go back.
DEAD_AFTER = timedelta(seconds=60)


class Backoff:
    """0.5 s, 1 s, 2 s … up to `cap` between attempts; back to the start after a success."""

    def __init__(self, first: float = 0.5, cap: float = 10.0) -> None:
        self.first = first
        self.cap = cap
        self.following = first

    def failed(self) -> float:
        pause, self.following = self.following, min(self.following * 2, self.cap)
        return pause

    def reset(self) -> None:
        self.following = self.first


def drop_connections() -> None:
    """Close this thread's connections, broken ones included, so the next query reconnects."""
    for connection in connections.all(initialized_only=True):
        try:
            connection.close()
        except DATABASE_ERRORS:
            connection.connection = None  # already gone; forget it


def run_forever(work: Callable[[], int], interval: float, stop: threading.Event, what: str) -> None:
    """Call `work` until `stop` is set: again at once while it finds work, after `interval`
    when idle, and after a growing pause while the database is unreachable."""
    backoff = Backoff()
    while not stop.is_set():
        try:
            close_old_connections()
            done = work()
        except DATABASE_ERRORS as error:
            pause = backoff.failed()
            logger.warning("%s: database unavailable (%s); retrying in %.1f s", what, error, pause)
            drop_connections()
            stop.wait(pause)
            continue
        except Exception:
            logger.exception("%s failed; retrying on the next round", what)
            done = 0
        backoff.reset()
        if not done:
            stop.wait(interval)


def new_worker_id() -> str:
    return f"{socket.gethostname()[:40]}-{os.getpid()}-{time.time_ns() % 10**6}"


class Heartbeat:
    """Writes this worker's row every few seconds; the health check reads it."""

    def __init__(self, worker_id: str) -> None:
        self.worker_id = worker_id
        self.started_at = clock.now()
        self.last_written = -BEAT_EVERY_SECONDS

    def __call__(self) -> None:
        if time.monotonic() - self.last_written < BEAT_EVERY_SECONDS:
            return
        now = clock.now()
        WorkerHeartbeat.objects.update_or_create(
            worker_id=self.worker_id,
            defaults={"last_beat": now},
            create_defaults={
                "hostname": socket.gethostname()[:255],
                "pid": os.getpid(),
                "started_at": self.started_at,
                "last_beat": now,
            },
        )
        WorkerHeartbeat.objects.filter(last_beat__lt=now - FORGET_WORKERS_AFTER).delete()
        requeue_orphaned_jobs(self.worker_id)
        self.last_written = time.monotonic()


def requeue_orphaned_jobs(own_worker_id: str) -> int:
    """Put back in the queue the jobs left "running" by a worker that died (kill -9, a lost
    machine): one whose heartbeat is older than DEAD_AFTER, or gone. Such a job runs again
    from the start, so jobs run at least once, never zero times; those with outside effects
    record each step and carry on where they stopped."""
    since = clock.now() - DEAD_AFTER
    alive = set(
        WorkerHeartbeat.objects.filter(last_beat__gte=since).values_list("worker_id", flat=True)
    )
    alive.add(own_worker_id)
    # A worker that has just started may claim a job before its first beat is written.
    running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING, started_at__lt=since)
    orphaned = [
        pk for pk, ids in running.values_list("pk", "worker_ids") if not ids or ids[-1] not in alive
    ]
    if orphaned:
        logger.warning("%d job(s) of a dead worker put back in the queue", len(orphaned))
        running.filter(pk__in=orphaned).update(status=TaskResultStatus.READY)
    return len(orphaned)


class QueuedJobs:
    """Runs every ready django-tasks job with django-tasks-db's own Worker, one claim per
    transaction. A job cut short by the database going away is put back in the queue once
    the database answers again, instead of staying "running" forever."""

    def __init__(self, worker_id: str, stop: threading.Event | None = None) -> None:
        self.stop = stop or threading.Event()
        self.worker = Worker(
            queue_names=["*"],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id=worker_id,
            excluded_queue_names=[],
        )
        self.interrupted: list[str] = []

    def __call__(self) -> int:
        if self.interrupted:
            DBTaskResult.objects.filter(
                pk__in=self.interrupted, status=TaskResultStatus.RUNNING
            ).update(status=TaskResultStatus.READY)
            self.interrupted.clear()
        ran = 0
        while not self.stop.is_set():
            ready = DBTaskResult.objects.ready().filter(backend_name="default")
            with exclusive_transaction(ready.db):
                job = ready.get_locked()
                if job is None:
                    return ran
                job.claim(self.worker.worker_id)
            # The job's log lines carry its id where a request's carry the request id.
            current = request_log.request_id.set(f"job:{job.pk}")
            try:
                self.worker.run_task(job)
            except DATABASE_ERRORS:
                self.interrupted.append(str(job.pk))
                raise
            finally:
                request_log.request_id.reset(current)
            ran += 1
        return ran


def retry_while_database_away(write: Callable[[], None], give_up_after: float = 300.0) -> None:
    """Run `write`, retrying with backoff while the database is unreachable. For recording
    what already happened outside (a page handed to the mail server): losing that record
    would make the same message go out again once the database is back."""
    backoff = Backoff()
    deadline = time.monotonic() + give_up_after
    while True:
        try:
            write()
        except DATABASE_ERRORS:
            if time.monotonic() > deadline:
                raise
            drop_connections()
            time.sleep(backoff.failed())
        else:
            return
