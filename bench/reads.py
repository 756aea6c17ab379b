"""Read latency against a real `kizuki serve` (gunicorn, 2 web processes, and its worker) with
5,000 incidents of history: p50 and p99 of GET one incident and the list of 50 through the API,
and the incident page and the incidents list on the web, one request at a time over a kept
connection (latency, not throughput). Targets (issue 15): p50 under 5 ms for one incident and
under 15 ms for a list of 50.

    .venv/bin/python bench/reads.py [--db sqlite|postgresql|both] [--incidents 5000]
                                    [--requests 300] [--reuse]

The history is bench/reports_history.py's (teams, services, people; per incident a commander,
a status update, ~20 timeline entries, follow-ups, alert groups), written in bulk into a fresh
database migrated with `kizuki migrate`: SQLite var/bench-reads.sqlite3, PostgreSQL the database
kizuki_bench_reads on 127.0.0.1:5432 (dropped and created again). `--reuse` keeps the last run's
database. The API is called with a responder's token, the pages with their session. Each call
cycles through the 20 newest incidents. GET /api/v1/health is timed too, as the floor."""

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from reports_history import build  # bench/ is on the path when this file runs

ROOT = Path(__file__).resolve().parents[1]
KIZUKI = str(Path(sys.executable).parent / "kizuki")
SQLITE_FILE = ROOT / "var" / "bench-reads.sqlite3"
PG_NAME = "kizuki_bench_reads"
PG_URL = f"postgresql://postgres@127.0.0.1:5432/{PG_NAME}"
RECENT = 20


def psql(sql: str) -> None:
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", sql], check=True)


def prepare(database: str, reuse: bool) -> str:
    if database == "sqlite":
        SQLITE_FILE.parent.mkdir(exist_ok=True)
        if not reuse:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{SQLITE_FILE}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{SQLITE_FILE}"
    found = subprocess.run(
        [
            "psql",
            "-h",
            "127.0.0.1",
            "-U",
            "postgres",
            "-tAc",
            f"SELECT 1 FROM pg_database WHERE datname = '{PG_NAME}'",
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    if not reuse or not found:
        psql(f"DROP DATABASE IF EXISTS {PG_NAME} WITH (FORCE)")
        psql(f"CREATE DATABASE {PG_NAME}")
    return PG_URL


def child(count: int) -> dict[str, Any]:
    """In the database's own process: build the history once; a token and a session."""
    import django  # noqa: PLC0415  set up only here, once the URL is chosen

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kizuki.config.settings")
    django.setup()
    from django.db import connection  # noqa: PLC0415
    from django.test import Client  # noqa: PLC0415

    from kizuki.accounts.models import User  # noqa: PLC0415
    from kizuki.incidents.models import Incident  # noqa: PLC0415

    if not Incident.objects.exists():
        started = time.perf_counter()
        sizes = build(count)
        print(f"  built {sizes} in {time.perf_counter() - started:.0f} s", file=sys.stderr)
        if connection.vendor == "postgresql":  # as autovacuum would after a bulk load
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
    reader = User.objects.get(username="reader")
    client = Client()
    client.force_login(reader)
    newest = Incident.objects.order_by("-number").values_list("number", flat=True)[:RECENT]
    return {
        "session": client.cookies["sessionid"].value,
        "numbers": list(newest),
        "incidents": Incident.objects.count(),
    }


def timed(
    connection: http.client.HTTPConnection, paths: list[str], headers: dict[str, str], runs: int
) -> dict[str, float]:
    def call(path: str) -> float:
        started = time.perf_counter()
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        response.read()
        elapsed = (time.perf_counter() - started) * 1000
        if response.status != 200:
            raise SystemExit(f"GET {path}: {response.status}")
        return elapsed

    for n in range(max(runs // 10, 10)):  # warm both web processes
        call(paths[n % len(paths)])
    times = sorted(call(paths[n % len(paths)]) for n in range(runs))
    return {
        "p50": round(statistics.median(times), 1),
        "p99": round(times[min(len(times) - 1, int(len(times) * 0.99))], 1),
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(port: int) -> http.client.HTTPConnection:
    """A kept connection to the server once its health check answers."""
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            connection.request("GET", "/api/v1/health")
            response = connection.getresponse()
            response.read()
            if response.status == 200:
                return connection
        except OSError:
            connection.close()
        time.sleep(0.2)  # a process starting up, not a test
    raise SystemExit("the server did not start")


def run(database: str, args: argparse.Namespace) -> dict[str, Any]:
    url = prepare(database, args.reuse)
    port = free_port()
    env = {**os.environ, "KIZUKI_DATABASE_URL": url, "KIZUKI_BASE_URL": f"http://127.0.0.1:{port}"}
    subprocess.run([KIZUKI, "migrate", "-v", "0"], env=env, check=True)
    made = subprocess.run(
        [sys.executable, __file__, "--child", "--incidents", str(args.incidents)],
        env=env,
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    )
    setup = json.loads(made.stdout.strip().splitlines()[-1])
    token = subprocess.run(
        [KIZUKI, "token", "create", "reader"], env=env, check=True, capture_output=True, text=True
    ).stdout.strip()
    server = subprocess.Popen(
        [KIZUKI, "serve", "--port", str(port), "--workers", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        connection = wait_for(port)
        api = {"Authorization": f"Bearer {token}"}
        web = {"Cookie": f"sessionid={setup['session']}", "Accept-Language": "ja"}
        refs = [f"INC-{number}" for number in setup["numbers"]]
        result: dict[str, Any] = {"database": database, "incidents": setup["incidents"]}
        result["load"] = round(os.getloadavg()[0], 2)
        result["health"] = timed(connection, ["/api/v1/health"], {}, args.requests)
        result["api one"] = timed(
            connection, [f"/api/v1/incidents/{ref}" for ref in refs], api, args.requests
        )
        result["api list 50"] = timed(
            connection, ["/api/v1/incidents?page_size=50"], api, args.requests
        )
        result["page incident"] = timed(
            connection, [f"/incidents/{ref}/" for ref in refs], web, args.requests
        )
        result["page list"] = timed(connection, ["/incidents/"], web, args.requests)
        result["load_after"] = round(os.getloadavg()[0], 2)
        return result
    finally:
        server.terminate()
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


WHAT = ["health", "api one", "api list 50", "page incident", "page list"]
TARGETS = {"api one": 5.0, "api list 50": 15.0}


def table(results: list[dict[str, Any]]) -> str:
    lines = [f"{'database':<11}{'what':<15}{'p50 ms':>8}{'p99 ms':>8}  target p50"]
    for result in results:
        for what in WHAT:
            figures = result[what]
            target = TARGETS.get(what)
            verdict = ""
            if target is not None:
                verdict = f"< {target:g} {'met' if figures['p50'] < target else 'MISSED'}"
            name = f"{result['database']:<11}{what:<15}"
            lines.append(f"{name}{figures['p50']:>8}{figures['p99']:>8}  {verdict}")
        lines.append(f"{'':<11}load average {result['load']} before, {result['load_after']} after")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--incidents", type=int, default=5_000)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--reuse", action="store_true", help="keep the last run's database")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.incidents)))
        return
    databases = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    for database in databases:
        print(table([run(database, args)]), flush=True)


if __name__ == "__main__":
    main()
