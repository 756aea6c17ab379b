"""Running the worker's work inside a test: what `kizuki worker --batch` does, in this process
and database transaction, so the test can read the outcome. (The command itself closes "old"
database connections between jobs, which on PostgreSQL would end the test's transaction.)"""

from django.db import transaction
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from kizuki.core import periodic


def run_queued_jobs() -> int:
    """Claim each ready django-tasks job and run it with django-tasks-db's own Worker."""
    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="tests",
        excluded_queue_names=[],
    )
    ran = 0
    while True:
        with transaction.atomic():
            job = DBTaskResult.objects.ready().get_locked()
            if job is None:
                return ran
            job.claim(worker.worker_id)
        worker.run_task(job)
        ran += 1


def run_worker() -> None:
    """The periodic jobs until they are idle, then every queued job."""
    while periodic.run_once():
        pass
    run_queued_jobs()
