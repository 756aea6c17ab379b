import logging
import os
import signal
import sys
import threading
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kizuki.core import periodic
from kizuki.core.supervise import Child, supervise
from kizuki.core.workloop import (
    Heartbeat,
    QueuedJobs,
    new_worker_id,
    requeue_orphaned_jobs,
    run_forever,
)

logger = logging.getLogger(__name__)
FORCE_AFTER_SECONDS = 2.0


class Command(BaseCommand):
    help = (
        "Run the background worker: escalation steps, page delivery and other periodic work,"
        " plus queued jobs from the database. It rides out database outages and beats a"
        " heartbeat the health check reads. With --concurrency M, M such processes run under"
        " one supervisor that restarts any that dies."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--interval", type=float, default=0.2, help="seconds between polls")
        parser.add_argument("--batch", action="store_true", help="do what is due, then exit")
        parser.add_argument(
            "--concurrency",
            type=int,
            default=1,
            help="worker processes to run and supervise (default 1: this process only)",
        )

    def handle(
        self, *args: Any, interval: float, batch: bool, concurrency: int, **options: Any
    ) -> None:
        if concurrency < 1:
            raise CommandError("--concurrency must be at least 1.")
        if concurrency > 1:
            if batch:
                raise CommandError("--batch runs once in this process: leave out --concurrency.")
            self.run_many(concurrency, interval)
            return
        worker_id = new_worker_id()
        if batch:
            requeue_orphaned_jobs(worker_id)
            while periodic.run_once():
                pass
            QueuedJobs(worker_id)()
            return
        stop = threading.Event()
        asked_at: list[float] = []

        def shut_down(_signum: int, _frame: object) -> None:
            # Ctrl-C under `kizuki serve` reaches us twice at once (terminal, then serve):
            # only a second request a moment later means "do not wait for the running job".
            if asked_at and time.monotonic() - asked_at[0] > FORCE_AFTER_SECONDS:
                raise SystemExit(1)
            asked_at.append(time.monotonic())
            stop.set()

        signal.signal(signal.SIGINT, shut_down)
        signal.signal(signal.SIGTERM, shut_down)
        heartbeat = Heartbeat(worker_id)

        def tick() -> int:
            heartbeat()
            return periodic.run_once()

        ticker = threading.Thread(
            target=run_forever, args=(tick, interval, stop, "periodic jobs"), daemon=True
        )
        ticker.start()
        logger.info("worker %s started", worker_id)
        run_forever(QueuedJobs(worker_id, stop), max(interval, 0.1), stop, "queued jobs")
        ticker.join(timeout=30)
        logger.info("worker %s stopped", worker_id)

    def run_many(self, concurrency: int, interval: float) -> None:
        """M processes, each an ordinary `kizuki worker` with its own id and heartbeat; they
        share the work through the database's claims, as workers on other hosts do."""
        argv = [sys.executable, "-m", "kizuki.cli", "worker", "--interval", str(interval)]
        env = dict(os.environ)
        children = [Child(f"worker {n}", argv, env) for n in range(1, concurrency + 1)]
        logger.info("supervising %d workers", concurrency)
        supervise(children)
