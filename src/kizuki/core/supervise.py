"""Supervised child processes for `kizuki serve` and `kizuki worker --concurrency M`: each
child is started again, after a growing pause, whenever it dies; SIGINT or SIGTERM stops
them all and waits for each to finish what it is doing."""

import logging
import signal
import subprocess
import threading
import time

from kizuki.core.workloop import Backoff

logger = logging.getLogger(__name__)
# A child that ran this long before dying was healthy: restart it without waiting.
HEALTHY_AFTER_SECONDS = 60.0
# How long a child may take to finish its current work after SIGTERM before it is killed.
STOP_WAIT_SECONDS = 30.0


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
            self.process.wait(timeout=STOP_WAIT_SECONDS)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def supervise(children: list[Child]) -> None:
    """Keep `children` running until SIGINT or SIGTERM, then stop them all (in parallel)."""
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
