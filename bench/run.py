"""Paging benchmarks against a real `kizuki serve` (gunicorn + worker), not a test client.

    .venv/bin/python bench/run.py ingest  [--database sqlite|postgresql] [--seconds 15]
    .venv/bin/python bench/run.py latency [--database sqlite|postgresql] [--rate 200]

ingest:  Alertmanager webhooks (several alerts each, fingerprints repeating so de-duplication
         works) from parallel client processes; prints alerts/s and p50/p99 response times.
latency: during a storm of --rate alerts/s (repeats into existing groups), --probes new
         alert groups per second, each paging one person by e-mail through a local SMTP
         server; prints p50/p99 from the POST to the mail server receiving the page.
"""

import argparse
import collections
import functools
import http.client
import json
import multiprocessing
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from multiprocessing import Queue
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller

ROOT = Path(__file__).resolve().parents[1]
KIZUKI = str(Path(sys.executable).parent / "kizuki")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def database_url(kind: str, workdir: str) -> str:
    if kind == "sqlite":
        return f"sqlite:///{workdir}/bench.sqlite3"
    name = f"kizuki_bench_{os.getpid()}"
    subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", f"CREATE DATABASE {name}"], check=True
    )
    return f"postgresql://postgres@127.0.0.1:5432/{name}"


def drop_database(url: str) -> None:
    if url.startswith("postgresql"):
        name = url.rsplit("/", 1)[1]
        subprocess.run(
            [
                "psql",
                "-h",
                "127.0.0.1",
                "-U",
                "postgres",
                "-qc",
                f"DROP DATABASE IF EXISTS {name} WITH (FORCE)",
            ],
            check=False,
        )


class Server:
    """`kizuki serve` on a free port with its own database, e-mail going to `email_url`.
    `reach` rewrites the database URL serve uses (bench/faults.py: through a proxy)."""

    def __init__(
        self, database: str, email_url: str = "", reach: Callable[[str], str] = str
    ) -> None:
        self.workdir = tempfile.mkdtemp(prefix="kizuki-bench-")
        self.port = free_port()
        self.env = {
            **os.environ,
            "KIZUKI_DATABASE_URL": database_url(database, self.workdir),
            "KIZUKI_EMAIL_URL": email_url,
            "KIZUKI_LANGUAGE": "en",
            "KIZUKI_BASE_URL": f"http://127.0.0.1:{self.port}",
        }
        self.run("migrate", "-v0")
        self.run("user", "create", "bench", "--role", "admin", "--email", "bench@example.test")
        self.token = self.run("token", "create", "bench").strip()
        self.process = subprocess.Popen(
            [KIZUKI, "serve", "--port", str(self.port), "--workers", "2"],
            env={**self.env, "KIZUKI_DATABASE_URL": reach(self.env["KIZUKI_DATABASE_URL"])},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if self.call("GET", "/api/v1/health")[0] == 200:
                    return
            except OSError:
                time.sleep(0.2)
        raise SystemExit("the server did not start")

    def run(self, *argv: str) -> str:
        return subprocess.run(
            [KIZUKI, *argv], env=self.env, check=True, capture_output=True, text=True
        ).stdout

    def call(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"}
        connection.request(method, path, json.dumps(body) if body is not None else None, headers)
        response = connection.getresponse()
        data = response.read()
        return response.status, json.loads(data) if data else None

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)
        drop_database(self.env["KIZUKI_DATABASE_URL"])


def alertmanager_payload(group: int, fingerprints: list[str], marker: str = "") -> dict[str, Any]:
    return {
        "version": "4",
        "groupKey": f'{{}}:{{alertname="Bench{group}"}}',
        "status": "firing",
        "receiver": "kizuki",
        "groupLabels": {"alertname": f"Bench{group}"},
        "commonLabels": {},
        "commonAnnotations": {},
        "externalURL": "http://127.0.0.1:9093",
        "alerts": [
            {
                "status": "firing",
                "fingerprint": fp,
                "labels": {"alertname": f"Bench{group}", "instance": fp, "severity": "warning"},
                "annotations": {"summary": f"{marker} bench alert {fp}".strip()},
                "startsAt": "2026-11-25T00:00:00Z",
                "endsAt": "0001-01-01T00:00:00Z",
                "generatorURL": "http://127.0.0.1:9090/graph",
            }
            for fp in fingerprints
        ],
    }


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


Body = Callable[[random.Random, int], dict[str, Any]]
Result = tuple[int, list[float], int]


def _client(
    port: int, path: str, body: Body, seconds: float, seed: int, results: "Queue[Result]"
) -> None:
    rng = random.Random(seed)
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    latencies: list[float] = []
    errors = 0
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        text = json.dumps(body(rng, len(latencies)))
        started = time.perf_counter()
        connection.request("POST", path, text, {"Content-Type": "application/json"})
        response = connection.getresponse()
        response.read()
        latencies.append(time.perf_counter() - started)
        errors += response.status != 202
    results.put((len(latencies), latencies, errors))


def hammer(
    port: int, path: str, body: Body, seconds: float, clients: int
) -> tuple[float, list[float], int]:
    """`clients` processes POSTing `body(rng, n)` as fast as answers come, each on its own
    kept connection, for `seconds`: requests/s, every latency, and the non-202 answers."""
    results: Queue[Result] = multiprocessing.Queue()
    processes = [
        multiprocessing.Process(target=_client, args=(port, path, body, seconds, seed, results))
        for seed in range(clients)
    ]
    for process in processes:
        process.start()
    gathered = [results.get() for _ in processes]
    for process in processes:
        process.join()
    requests = sum(count for count, _, _ in gathered)
    latencies = [value for _, values, _ in gathered for value in values]
    return requests / seconds, latencies, sum(errors for _, _, errors in gathered)


def storm_body(per_request: int, rng: random.Random, _n: int) -> dict[str, Any]:
    """A webhook of `per_request` alerts repeating in 20 groups (de-duplication works)."""
    group = rng.randrange(20)
    return alertmanager_payload(
        group, [f"{group:02d}{rng.randrange(50):03d}" for _ in range(per_request)]
    )


def paging_policy(server: Server, name: str, wait_minutes: int) -> int:
    """An escalation policy that e-mails the bench user at once; returns its id."""
    status, policy = server.call(
        "POST",
        "/api/v1/escalation-policies",
        {
            "name": name,
            "repeat": 0,
            "steps": [{"targets": [{"type": "user", "id": "bench"}], "wait_minutes": wait_minutes}],
        },
    )
    assert status == 201, policy
    server.call(
        "POST",
        "/api/v1/users/bench/notification-rules",
        {"method": "email", "address": "bench@example.test", "delay_minutes": 0},
    )
    return int(policy["id"])


def setup_service(server: Server, policy: Any = None, name: str = "Bench") -> str:
    status, service = server.call(
        "POST", "/api/v1/services", {"name": name, "team": None, "escalation_policy": policy}
    )
    assert status == 201, service
    status, integration = server.call(
        "POST",
        f"/api/v1/services/{service['id']}/integrations",
        {"kind": "alertmanager", "name": "bench", "rate_limit_per_minute": 10_000_000},
    )
    assert status == 201, integration
    return str(integration["url"]).split(str(server.port), 1)[1]


def bench_ingest(args: argparse.Namespace) -> None:
    server = Server(args.database)
    try:
        path = setup_service(server)
        body = functools.partial(storm_body, args.alerts_per_request)
        rate, latencies, errors = hammer(server.port, path, body, args.seconds, args.clients)
        print(
            f"ingest on {args.database}: {args.clients} clients, "
            f"{args.alerts_per_request} alerts per webhook, {args.seconds:.0f} s"
        )
        print(f"  requests/s  {rate:8.0f}   (non-202 answers: {errors})")
        print(f"  alerts/s    {rate * args.alerts_per_request:8.0f}")
        print(
            f"  p50 {percentile(latencies, 0.50) * 1000:6.1f} ms   "
            f"p99 {percentile(latencies, 0.99) * 1000:6.1f} ms"
        )
    finally:
        server.stop()


class MailRecorder:
    """A local SMTP server noting when each message arrived, keyed by the marker in it, and
    how many messages carried each marker (more than one is a duplicate page)."""

    def __init__(self) -> None:
        self.arrived: dict[str, float] = {}
        self.received: collections.Counter[str] = collections.Counter()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        text = envelope.content.decode("utf-8", "replace")
        markers = {word.strip(".,:") for word in text.split() if word.startswith("BENCH-")}
        for marker in markers:
            self.arrived.setdefault(marker, time.perf_counter())
            self.received[marker] += 1
        return "250 OK"


def _background(
    port: int, path: str, seconds: float, rate: float, results: "multiprocessing.Queue[int]"
) -> None:
    """Alert storm traffic: `rate` alerts/s into a few existing groups (de-duplicated)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    per_request = 10
    total = int(rate * seconds / per_request)
    start = time.perf_counter()
    sent = 0
    for n in range(total):
        pause = start + n * per_request / rate - time.perf_counter()
        if pause > 0:
            time.sleep(pause)
        fingerprints = [f"storm{(n * per_request + k) % 200:03d}" for k in range(per_request)]
        body = json.dumps(alertmanager_payload(n % 5, fingerprints))
        connection.request("POST", path, body, {"Content-Type": "application/json"})
        connection.getresponse().read()
        sent += per_request
    results.put(sent)


class Senders:
    """Offers `total` new alert groups at `rate` per second from `count` threads, each over a
    keep-alive connection of its own: request n is due at start + n / rate, and whichever
    sender is free takes the next one (one connection alone cannot keep up: each request
    waits for its answer)."""

    def __init__(self, port: int, path: str, rate: float, total: int, count: int) -> None:
        self.port, self.path, self.rate, self.total, self.count = port, path, rate, total, count
        self.next = 0
        self.lock = threading.Lock()
        self.sent: dict[str, float] = {}
        self.refused = 0
        self.start = 0.0

    def run(self) -> float:
        """Send everything; returns the rate achieved (requests per second, start to last)."""
        self.start = time.perf_counter()
        threads = [threading.Thread(target=self.send) for _ in range(self.count)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return self.total / (time.perf_counter() - self.start)

    def take(self) -> int | None:
        with self.lock:
            if self.next >= self.total:
                return None
            self.next += 1
            return self.next - 1

    def send(self) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        while (n := self.take()) is not None:
            pause = self.start + n / self.rate - time.perf_counter()
            if pause > 0:
                time.sleep(pause)
            marker = f"BENCH-{n}"
            body = json.dumps(alertmanager_payload(10_000 + n, [f"lat{n}"], marker))
            at = time.perf_counter()
            connection.request("POST", self.path, body, {"Content-Type": "application/json"})
            response = connection.getresponse()
            response.read()
            with self.lock:
                if response.status < 300:
                    self.sent[marker] = at
                else:
                    self.refused += 1
        connection.close()


def bench_latency(args: argparse.Namespace) -> None:
    recorder = MailRecorder()
    smtp_port = free_port()
    controller = Controller(recorder, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    server = Server(args.database, email_url=f"smtp://127.0.0.1:{smtp_port}")
    try:
        path = setup_service(server, paging_policy(server, "Bench", wait_minutes=30))
        # The storm goes to its own service without a policy: it loads ingestion, not paging.
        storm_path = setup_service(server, None, name="Storm")
        storm_sent: multiprocessing.Queue[int] = multiprocessing.Queue()
        storm = multiprocessing.Process(
            target=_background, args=(server.port, storm_path, args.seconds, args.rate, storm_sent)
        )
        storm.start()
        total = int(args.probes * args.seconds)
        probes = Senders(server.port, path, args.probes, total, 1)
        probes.run()
        sent = probes.sent
        storm_total = storm_sent.get()
        storm.join()
        storm_rate = storm_total / (time.perf_counter() - probes.start)
        deadline = time.monotonic() + 60
        while len(recorder.arrived) < total and time.monotonic() < deadline:
            time.sleep(0.2)
        delays = [recorder.arrived[m] - t for m, t in sent.items() if m in recorder.arrived]
        print(
            f"alert to first notification on {args.database}: {total} new alert groups at "
            f"{args.probes:g}/s, each paging one person by e-mail, during a storm of "
            f"{storm_rate:.0f} alerts/s"
        )
        print(f"  delivered {len(delays)}/{total}")
        if delays:
            print(
                f"  p50 {statistics.median(delays) * 1000:7.0f} ms   "
                f"p99 {percentile(delays, 0.99) * 1000:7.0f} ms   max {max(delays) * 1000:7.0f} ms"
            )
    finally:
        server.stop()
        controller.stop()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("which", choices=["ingest", "latency"])
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--alerts-per-request", type=int, default=10)
    parser.add_argument("--rate", type=float, default=200, help="latency: storm alerts per second")
    parser.add_argument("--probes", type=float, default=5, help="latency: new groups per second")
    args = parser.parse_args()
    (bench_ingest if args.which == "ingest" else bench_latency)(args)


if __name__ == "__main__":
    main()
