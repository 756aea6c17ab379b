"""Ingestion throughput against a real `kizuki serve`, and its cost against a bare Django view.

    .venv/bin/python bench/ingest.py [--database sqlite|postgresql] [--seconds 15]
                                     [--clients 4] [--workers 2]

Three phases on one fresh database, each for --seconds, from --clients client processes
holding keep-alive connections:

batch:  Alertmanager webhooks of 10 alerts each to one integration: 50 alert groups, in each
        a pool of repeating fingerprints, and 3 alerts of every 10 new. Prints alerts/s and
        p50/p99 response times.
single: the generic webhook, one alert per request (keys repeating, some new).
bare:   a bare Django view doing one INSERT into one table of the same database
        (bench/bare_app.py), served by gunicorn with the same worker and thread counts.
        Prints requests/s of single and bare and their ratio: on a busy machine the ratio
        holds where the absolute figures do not.
"""

import argparse
import http.client
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from run import (
    KIZUKI,
    alertmanager_payload,
    database_url,
    drop_database,
    free_port,
    hammer,
    percentile,
)

BENCH = Path(__file__).resolve().parent
THREADS = 4  # kizuki serve's default threads per web process
STARTUP_SECONDS = 300  # migrating and starting take minutes on a loaded machine


def batch_body(rng: random.Random, n: int) -> dict[str, Any]:
    group = rng.randrange(50)
    fingerprints = [f"g{group:02d}-{rng.randrange(100):03d}" for _ in range(7)]
    fresh = [f"g{group:02d}-new-{os.getpid()}-{n}-{k}" for k in range(3)]
    return alertmanager_payload(group, fingerprints + fresh)


def single_body(rng: random.Random, n: int) -> dict[str, Any]:
    key = f"job-{rng.randrange(500)}" if n % 10 else f"job-new-{os.getpid()}-{n}"
    return {"title": f"Batch job {key} late", "dedup_key": key, "severity": "warning"}


def bare_body(_rng: random.Random, n: int) -> dict[str, Any]:
    return {"n": n}


def wait_serving(port: int, path: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline and process.poll() is None:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            connection.request("GET", path)
            connection.getresponse().read()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"nothing answered on port {port}")


def kizuki(env: dict[str, str], *argv: str) -> str:
    return subprocess.run(
        [KIZUKI, *argv], env=env, check=True, capture_output=True, text=True
    ).stdout


def call(port: int, token: str, path: str, body: Any) -> Any:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    connection.request("POST", path, json.dumps(body), headers)
    response = connection.getresponse()
    answer = json.loads(response.read())
    assert response.status == 201, answer
    return answer


def integration_path(port: int, token: str, kind: str, name: str) -> str:
    service = call(port, token, "/api/v1/services", {"name": name, "team": None})
    limit = {"kind": kind, "name": kind, "rate_limit_per_minute": 100_000_000}
    made = call(port, token, f"/api/v1/services/{service['id']}/integrations", limit)
    return str(made["url"]).split(str(port), 1)[1]


def started(argv: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    process.wait(timeout=60)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2, help="web processes, both servers")
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="kizuki-bench-")
    url = database_url(args.database, workdir)
    env = {**os.environ, "KIZUKI_DATABASE_URL": url, "KIZUKI_LANGUAGE": "en"}
    port = free_port()
    env["KIZUKI_BASE_URL"] = f"http://127.0.0.1:{port}"
    processes: list[subprocess.Popen[bytes]] = []
    try:
        kizuki(env, "migrate", "-v0")
        kizuki(env, "user", "create", "bench", "--role", "admin", "--email", "bench@example.test")
        token = kizuki(env, "token", "create", "bench").strip()
        serve = [KIZUKI, "serve", "--port", str(port), "--workers", str(args.workers)]
        serve += ["--threads", str(THREADS), "--worker-concurrency", "0"]
        processes.append(started(serve, env))
        wait_serving(port, "/api/v1/health", processes[-1])
        batch_path = integration_path(port, token, "alertmanager", "Batch")
        single_path = integration_path(port, token, "webhook", "Single")

        rate, latencies, errors = hammer(port, batch_path, batch_body, args.seconds, args.clients)
        print(
            f"ingest on {args.database}: {args.workers} web processes x {THREADS} threads, "
            f"{args.clients} clients, {args.seconds:.0f} s a phase"
        )
        print(f"  batch   alerts/s {rate * 10:8.0f}   requests/s {rate:6.0f}   non-202: {errors}")
        print(
            f"          p50 {percentile(latencies, 0.50) * 1000:6.1f} ms"
            f"   p99 {percentile(latencies, 0.99) * 1000:6.1f} ms"
        )
        single, latencies, errors = hammer(
            port, single_path, single_body, args.seconds, args.clients
        )
        print(
            f"  single  requests/s {single:6.0f}   p50 {percentile(latencies, 0.5) * 1000:6.1f} ms"
            f"   non-202: {errors}"
        )
        stop(processes.pop())

        bare_port = free_port()
        subprocess.run([sys.executable, "bare_app.py"], env=env, cwd=BENCH, check=True)
        bare = [sys.executable, "-m", "gunicorn", "bare_app:application", "--chdir", str(BENCH)]
        bare += ["--bind", f"127.0.0.1:{bare_port}", "--workers", str(args.workers)]
        bare += ["--threads", str(THREADS)]
        processes.append(started(bare, env))
        wait_serving(bare_port, "/insert", processes[-1])
        plain, latencies, errors = hammer(
            bare_port, "/insert", bare_body, args.seconds, args.clients
        )
        print(
            f"  bare    requests/s {plain:6.0f}   p50 {percentile(latencies, 0.5) * 1000:6.1f} ms"
            f"   non-202: {errors}"
        )
        print(f"  single / bare = {single / plain:.2f}")
    finally:
        for process in processes:
            stop(process)
        drop_database(url)


if __name__ == "__main__":
    main()
