import os
import socket
import subprocess
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kizuki.core import metrics
from kizuki.core.supervise import Child, supervise


def base_url(host: str, port: int) -> str:
    """Where links point when KIZUKI_BASE_URL is not set: the address we listen on."""
    if host in {"0.0.0.0", "::", ""}:  # noqa: S104 - naming the wildcard, not binding to it
        host = socket.getfqdn()
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"http://{host}:{port}"


class Command(BaseCommand):
    help = (
        "Serve the web app and run one background worker beside it until Ctrl-C. Either one"
        " is restarted if it dies. In production, run the web tier with --worker-concurrency 0"
        " and the workers with `kizuki worker`."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=2, help="web worker processes")
        parser.add_argument(
            "--threads", type=int, default=4, help="threads per web process (default 4)"
        )
        parser.add_argument(
            "--worker-concurrency",
            type=int,
            default=1,
            help="background worker processes beside the web app (default 1; 0: web only)",
        )
        parser.add_argument(
            "--demo",
            action="store_true",
            help="load the demo data first (once), its links pointing at this address",
        )

    def handle(
        self,
        *args: Any,
        host: str,
        port: int,
        workers: int,
        threads: int,
        worker_concurrency: int,
        demo: bool,
        **options: Any,
    ) -> None:
        if workers < 1 or threads < 1 or worker_concurrency < 0:
            msg = "--workers and --threads must be at least 1, --worker-concurrency at least 0."
            raise CommandError(msg)
        env = dict(os.environ)
        # Links in e-mails and pages follow the address we serve on unless told otherwise.
        env.setdefault("KIZUKI_BASE_URL", base_url(host, port))
        # Each web process writes its request and alert counts there; a scrape adds them up.
        metrics.prepare_process_dir(env)
        if demo:
            # In a child with the same environment, so the demo's alert links use it too.
            demo_load = [sys.executable, "-m", "kizuki.cli", "demo", "load"]
            subprocess.run(demo_load, env=env, check=True)  # noqa: S603 - our own command
        web = [
            *(sys.executable, "-m", "gunicorn", "kizuki.config.wsgi"),
            *("--bind", f"{host}:{port}", "--workers", str(workers), "--threads", str(threads)),
            *("--access-logfile", "-"),
            *("--logger-class", "kizuki.config.redaction.RedactingAccessLogger"),
            # Unused, and its one default path in the home directory would be shared by every
            # server on the host (and is read-only under a hardened service unit).
            "--no-control-socket",
        ]
        worker = [sys.executable, "-m", "kizuki.cli", "worker"]
        children = [Child("web", web, env)]
        # One supervisor for all: each worker is its own child with its own worker id.
        children += [
            Child("worker" if worker_concurrency == 1 else f"worker {n}", worker, env)
            for n in range(1, worker_concurrency + 1)
        ]
        address = f"http://{host}:{port}/"
        if worker_concurrency == 0:
            told = f"Kizuki: {address} without a worker. Ctrl-C stops it."
        elif worker_concurrency == 1:
            told = f"Kizuki: {address} with its worker. Ctrl-C stops both."
        else:
            told = f"Kizuki: {address} with {worker_concurrency} workers. Ctrl-C stops all."
        self.stdout.write(told)
        self.stdout.flush()
        supervise(children)
