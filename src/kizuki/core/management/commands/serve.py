import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from kizuki.core.workloop import Backoff

logger = logging.getLogger(__name__)
# A child that ran this long before dying was healthy: restart it without waiting.
HEALTHY_AFTER_SECONDS = 60.0


def base_url(host: str, port: int) -> str:
    """Where links point when KIZUKI_BASE_URL is not set: the address we listen on."""
    if host in {"0.0.0.0", "::", ""}:  # noqa: S104 - naming the wildcard, not binding to it
        host = socket.getfqdn()
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"http://{host}:{port}"


class Child:
    """One supervised process: started again, after a growing pause, whenever it dies."""

    def __init__(self, name: str, argv: list[str], env: dict[str, str]) -> None:
        self.name, self.argv, self.env = name, argv, env
        self.backoff = Backoff()
        self.restart_at: float | None = None
        self.start()

    def start(self) -> None:
        self.process = subprocess.Popen(self.argv, env=self.env)  # noqa: S603 - our own commands
        self.started = time.monotonic()
        self.restart_at = None

    def check(self) -> None:
        if self.restart_at is not None:
            if time.monotonic() >= self.restart_at:
                self.start()
            return
        code = self.process.poll()
        if code is None:
            return
        if time.monotonic() - self.started >= HEALTHY_AFTER_SECONDS:
            self.backoff.reset()
        pause = self.backoff.failed()
        logger.error("%s exited with status %s; restarting it in %.1f s", self.name, code, pause)
        self.restart_at = time.monotonic() + pause

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()

    def wait(self) -> None:
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


class Command(BaseCommand):
    help = (
        "Serve the web app and run one background worker beside it until Ctrl-C. Either one"
        " is restarted if it dies."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=2, help="web worker processes")
        parser.add_argument(
            "--demo",
            action="store_true",
            help="load the demo data first (once), its links pointing at this address",
        )

    def handle(
        self, *args: Any, host: str, port: int, workers: int, demo: bool, **options: Any
    ) -> None:
        env = dict(os.environ)
        # Links in e-mails and pages follow the address we serve on unless told otherwise.
        env.setdefault("KIZUKI_BASE_URL", base_url(host, port))
        if demo:
            # In a child with the same environment, so the demo's alert links use it too.
            demo_load = [sys.executable, "-m", "kizuki.cli", "demo", "load"]
            subprocess.run(demo_load, env=env, check=True)  # noqa: S603 - our own command
        web = [
            *(sys.executable, "-m", "gunicorn", "kizuki.config.wsgi"),
            *("--bind", f"{host}:{port}", "--workers", str(workers), "--threads", "4"),
            *("--access-logfile", "-"),
            *("--logger-class", "kizuki.config.redaction.RedactingAccessLogger"),
        ]
        worker = [sys.executable, "-m", "kizuki.cli", "worker"]
        children = [Child("web", web, env), Child("worker", worker, env)]
        self.stdout.write(f"Kizuki: http://{host}:{port}/ with its worker. Ctrl-C stops both.")
        self.stdout.flush()
        stopping = threading.Event()

        def stop(_signum: int, _frame: object) -> None:
            stopping.set()

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        while not stopping.wait(0.2):
            for child in children:
                child.check()
        for child in children:
            child.stop()
        for child in children:
            child.wait()
