"""Paging through a database outage, against a real `kizuki serve` (gunicorn + worker).

    .venv/bin/python bench/faults.py postgresql [--seconds 20] [--rate 50] [--outage 10]
    .venv/bin/python bench/faults.py sqlite     [--seconds 40] [--rate 50] [--outage 30]

An alert burst (--rate alerts/s for --seconds: half of them new alerts, each paging one
person by e-mail through a local SMTP server, half repeats of earlier ones) while the
database goes away for --outage seconds, starting 5 s in:
  postgresql  serve reaches PostgreSQL through a TCP proxy on loopback; the proxy is cut
              (every connection closed, new ones refused) and restored, as a restart looks
              to Kizuki. The machine's PostgreSQL itself is not touched.
  sqlite      another connection holds an exclusive lock on the database file.
Senders do not retry here, so every refused alert shows. Then it waits for the worker to
settle and prints alerts accepted (2xx) vs stored, pages due vs sent, and duplicates.
"""

import argparse
import json
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

from aiosmtpd.controller import Controller
from run import (
    ROOT,
    MailRecorder,
    Server,
    alertmanager_payload,
    free_port,
    paging_policy,
    setup_service,
)

sys.path.insert(0, str(ROOT))
from tests.core.support import TcpProxy, call

START_FAULT_AFTER = 5.0


def count_rows(server: Server, sql: str) -> int:
    url = server.env["KIZUKI_DATABASE_URL"]
    if url.startswith("sqlite"):
        with sqlite3.connect(url.removeprefix("sqlite:///")) as db:
            return int(db.execute(sql).fetchone()[0])
    name = url.rsplit("/", 1)[1]
    psql = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", name, "-tAc", sql]
    return int(subprocess.run(psql, check=True, capture_output=True, text=True).stdout)


def fire(port: int, path: str, n: int, answers: Counter[str], accepted: set[str]) -> None:
    """Alert n: even ones are new (a group of their own, paged), odd ones repeat the last."""
    marker = f"BENCH-{n // 2}"
    payload = alertmanager_payload(100_000 + n // 2, [marker.lower()], marker)
    try:
        status = call(port, "POST", path, payload).status
    except OSError:
        status = 0
    answers[str(status) if status else "no answer"] += 1
    if 200 <= status < 300:
        accepted.add(marker)


def burst(port: int, path: str, seconds: float, rate: float) -> tuple[Counter[str], set[str]]:
    answers: Counter[str] = Counter()
    accepted: set[str] = set()
    start = time.monotonic()
    with ThreadPoolExecutor(max_workers=64) as pool:
        for n in range(int(seconds * rate)):
            pause = start + n / rate - time.monotonic()
            if pause > 0:
                time.sleep(pause)
            pool.submit(fire, port, path, n, answers, accepted)
    return answers, accepted


def outage(server: Server, proxy: TcpProxy | None, seconds: float) -> None:
    time.sleep(START_FAULT_AFTER)
    if proxy is not None:
        proxy.cut()
        time.sleep(seconds)
        proxy.restore()
        return
    path = server.env["KIZUKI_DATABASE_URL"].removeprefix("sqlite:///")
    locker = sqlite3.connect(path, isolation_level=None)
    locker.execute("BEGIN EXCLUSIVE")
    time.sleep(seconds)
    locker.execute("COMMIT")
    locker.close()


def settle(recorder: MailRecorder, server: Server, limit: float = 180) -> float:
    """Wait until every page is sent or failed and no mail arrived for 5 s."""
    started = time.monotonic()
    last, quiet_since = -1, time.monotonic()
    while time.monotonic() - started < limit:
        total = sum(recorder.received.values())
        if total != last:
            last, quiet_since = total, time.monotonic()
        open_pages = count_rows(
            server, "SELECT count(*) FROM oncall_page WHERE status IN ('pending', 'sending')"
        )
        if open_pages == 0 and time.monotonic() - quiet_since > 5:
            break
        time.sleep(0.5)
    return time.monotonic() - started


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("database", choices=["postgresql", "sqlite"])
    parser.add_argument("--seconds", type=float)
    parser.add_argument("--rate", type=float, default=50, help="alerts per second")
    parser.add_argument("--outage", type=float, help="seconds without the database")
    args = parser.parse_args()
    seconds = args.seconds or (20 if args.database == "postgresql" else 40)
    down = args.outage or (10 if args.database == "postgresql" else 30)

    recorder = MailRecorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=free_port())
    controller.start()
    proxy = TcpProxy(5432) if args.database == "postgresql" else None

    def reach(url: str) -> str:
        return url.replace(":5432/", f":{proxy.port}/") if proxy is not None else url

    server = Server(args.database, f"smtp://127.0.0.1:{controller.port}", reach)
    try:
        path = setup_service(server, paging_policy(server, "Faults", wait_minutes=60))
        fault = threading.Thread(target=outage, args=(server, proxy, down))
        fault.start()
        answers, accepted = burst(server.port, path, seconds, args.rate)
        fault.join()
        waited = settle(recorder, server)
        stored = count_rows(server, "SELECT count(*) FROM alerts_alert")
        due = count_rows(server, "SELECT count(*) FROM oncall_page")
        failed = count_rows(server, "SELECT count(*) FROM oncall_page WHERE status = 'failed'")
        health = call(server.port, "GET", "/api/v1/health")
        sent = len(recorder.received)
        duplicates = sum(count - 1 for count in recorder.received.values())
        what = "PostgreSQL restart (proxy cut)" if proxy else "SQLite exclusive lock"
        print(
            f"{what} of {down:g} s during a {seconds:g} s burst of {args.rate:g} alerts/s"
            " (half new, half repeats)"
        )
        print(f"  answers:         {json.dumps(dict(sorted(answers.items())))}")
        print(f"  alerts:          accepted (2xx) {len(accepted)}   stored {stored}")
        print(f"  pages:           due {due}   sent {sent}   duplicates {duplicates}", end="")
        print(f"   failed {failed}")
        print(f"  settled after:   {waited:.0f} s")
        print(f"  health after:    {health.status} {health.body['status']}")
    finally:
        server.stop()
        controller.stop()
        if proxy is not None:
            proxy.close()


if __name__ == "__main__":
    main()
