import signal
import subprocess
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Serve the web app and run one background worker beside it until Ctrl-C."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=2, help="web worker processes")

    def handle(self, *args: Any, host: str, port: int, workers: int, **options: Any) -> None:
        web = [
            *(sys.executable, "-m", "gunicorn", "kizuki.config.wsgi"),
            *("--bind", f"{host}:{port}", "--workers", str(workers), "--threads", "4"),
            *("--access-logfile", "-"),
        ]
        worker = [sys.executable, "-m", "kizuki.cli", "worker"]
        children = [subprocess.Popen(web), subprocess.Popen(worker)]  # noqa: S603 - our own commands
        self.stdout.write(f"Kizuki: http://{host}:{port}/ with its worker. Ctrl-C stops both.")

        def stop(_signum: int, _frame: object) -> None:
            for child in children:
                child.terminate()

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        for child in children:
            child.wait()
