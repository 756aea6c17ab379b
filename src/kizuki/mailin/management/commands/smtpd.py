"""`kizuki smtpd`: listen for mail on 127.0.0.1:2525 and file each message as a report."""

import signal
import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kizuki.mailin.smtpd import DEFAULT_HOST, DEFAULT_PORT, start_listener


class Command(BaseCommand):
    help = (
        "Receive reports by SMTP (run behind the real MTA, which relays the incident address"
        " here). Listens on loopback unless --host says otherwise; Ctrl-C stops it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=DEFAULT_HOST, help=f"default {DEFAULT_HOST}")
        parser.add_argument(
            "--port", type=int, default=DEFAULT_PORT, help=f"default {DEFAULT_PORT}"
        )

    def handle(self, *args: Any, host: str, port: int, **options: Any) -> None:
        try:
            controller = start_listener(host, port)
        except OSError as error:
            raise CommandError(f"Cannot listen on {host}:{port}: {error}") from error
        stop = threading.Event()

        def request_stop(_signum: int, _frame: object) -> None:
            stop.set()

        signal.signal(signal.SIGINT, request_stop)
        signal.signal(signal.SIGTERM, request_stop)
        self.stdout.write(f"Kizuki takes reports by SMTP on {host}:{port}. Ctrl-C stops it.")
        try:
            stop.wait()
        finally:
            controller.stop()
