from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Run the background worker: claims queued jobs from the database and runs them."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--interval", type=float, default=0.5, help="seconds between polls")
        parser.add_argument("--batch", action="store_true", help="run what is queued, then exit")

    def handle(self, *args: Any, interval: float, batch: bool, **options: Any) -> None:
        call_command(
            "db_worker",
            queue_name="*",
            reload=False,
            interval=interval,
            batch=batch,
            startup_delay=False,
            verbosity=options["verbosity"],
        )
