"""A worker killed with kill -9 in the middle of a queued job leaves it "running". Once that
worker has been silent for a minute, the next worker puts the job back in the queue and runs
it: nothing accepted is lost."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from kizuki.core.models import WorkerHeartbeat
from tests.conftest import Api, MovableClock

pytestmark = pytest.mark.django_db(transaction=True)


def a_running_job(api: Api, clock: MovableClock, *, started: float, last_beat: float) -> str:
    """Report an incident (which queues a job) and leave its job as another worker running
    it: claimed `started` seconds ago by a worker whose last beat was `last_beat` seconds ago
    (a worker killed while running it stops beating)."""
    assert api.post("/incidents", {"title": "Checkout is slow"}).status_code == 201
    # The report queues one job per event: take the first.
    job = DBTaskResult.objects.filter(status=TaskResultStatus.READY).order_by("enqueued_at")[0]
    job.claim("other-worker")
    started_at = clock.now - timedelta(seconds=started)
    DBTaskResult.objects.filter(pk=job.pk).update(started_at=started_at)
    WorkerHeartbeat.objects.create(
        worker_id="other-worker",
        hostname="h",
        pid=1,
        started_at=started_at,
        last_beat=clock.now - timedelta(seconds=last_beat),
    )
    return str(job.pk)


def test_the_job_of_a_worker_dead_for_a_minute_runs_again(
    responder_api: Api, frozen_clock: MovableClock
) -> None:
    job = a_running_job(responder_api, frozen_clock, started=61, last_beat=61)
    call_command("worker", batch=True)
    assert DBTaskResult.objects.get(pk=job).status == TaskResultStatus.SUCCESSFUL


@pytest.mark.parametrize(
    ("started", "last_beat"),
    [
        (600, 2),  # a long job of a worker that is alive
        (30, 30),  # too recent to tell: a new worker claims before its first beat
    ],
)
def test_a_job_is_left_alone_while_its_worker_may_be_alive(
    responder_api: Api, frozen_clock: MovableClock, started: float, last_beat: float
) -> None:
    job = a_running_job(responder_api, frozen_clock, started=started, last_beat=last_beat)
    call_command("worker", batch=True)
    assert DBTaskResult.objects.get(pk=job).status == TaskResultStatus.RUNNING
