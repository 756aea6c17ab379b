import logging
import threading
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

from kizuki.core import periodic

logger = logging.getLogger(__name__)


def _tick_forever(interval: float, stop: threading.Event) -> None:
    """Run the registered periodic jobs; go round again at once while there is work."""
    while not stop.is_set():
        close_old_connections()
        try:
            busy = periodic.run_once()
        except Exception:
            logger.exception("periodic job failed; retrying on the next tick")
            busy = 0
        if not busy:
            stop.wait(interval)


class Command(BaseCommand):
    help = (
        "Run the background worker: escalation steps, page delivery and other periodic work,"
        " plus queued jobs from the database."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--interval", type=float, default=0.2, help="seconds between polls")
        parser.add_argument("--batch", action="store_true", help="do what is due, then exit")

    def handle(self, *args: Any, interval: float, batch: bool, **options: Any) -> None:
        if batch:
            while periodic.run_once():
                pass
        else:
            stop = threading.Event()
            ticker = threading.Thread(target=_tick_forever, args=(interval, stop), daemon=True)
            ticker.start()
        try:
            call_command(
                "db_worker",
                queue_name="*",
                reload=False,
                interval=max(interval, 0.1),
                batch=batch,
                startup_delay=False,
                verbosity=options["verbosity"],
            )
        finally:
            if not batch:
                stop.set()
                ticker.join(timeout=5)
