"""The dashboard at scale: 1,000 open incidents (a fifth of them untriaged reports, the rest
declared or mitigated with a commander and status updates), 50 firing alert groups and three
schedules in a fresh database; then the dashboard is requested N times through Django's test
client as a logged-in responder. Prints p50/p95/max in milliseconds, the queries per request
and the response size, per database.

    .venv/bin/python bench/dashboard.py [--database sqlite|postgresql|both] [--incidents 1000]
                                        [--requests 100]

SQLite: a fresh file var/bench-dashboard.sqlite3. PostgreSQL: the database
kizuki_bench_dashboard on 127.0.0.1:5432 (dropped and created again). Each database runs in
its own process (Django's settings are per process)."""

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SQLITE_FILE = ROOT / "var" / "bench-dashboard.sqlite3"
PG_NAME = "kizuki_bench_dashboard"
PG_URL = f"postgresql://postgres@127.0.0.1:5432/{PG_NAME}"
TITLES = ["決済APIの遅延", "ログインできない", "Checkout times out", "配送状況が更新されない"]


def _build(count: int) -> None:
    """The open incidents, their commanders and updates, firing alerts and schedules."""
    from django.db import transaction  # noqa: PLC0415

    from kizuki.accounts import actions as accounts  # noqa: PLC0415
    from kizuki.alerts.models import AlertGroup  # noqa: PLC0415
    from kizuki.catalog import actions as catalog  # noqa: PLC0415
    from kizuki.core import clock  # noqa: PLC0415
    from kizuki.incidents.models import (  # noqa: PLC0415
        Incident,
        RoleAssignment,
        RoleType,
        Severity,
        Status,
        StatusUpdate,
    )
    from kizuki.schedules import actions as schedules  # noqa: PLC0415

    now = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)
    clock.set_now(now)
    rng = random.Random(7)
    team = accounts.create_team("payments", "Payments")
    service = catalog.create_service("checkout", "Checkout", team)
    people = [accounts.create_user(f"user{n}", "responder") for n in range(30)]
    reader = people[0]
    for n in range(3):
        names = [p.username for p in people[n * 5 : n * 5 + 5]]
        schedules.create_schedule(
            None, f"Rotation {n}", "Asia/Tokyo", [schedules.LayerInput(names, "1d")]
        )
    levels = list(Severity.objects.all())
    commander = RoleType.objects.get(slug="incident_commander")
    with transaction.atomic():
        incidents = []
        for number in range(1, count + 1):
            reported = now - timedelta(minutes=rng.randint(5, 60 * 24 * 3))
            untriaged = rng.random() < 0.2
            incidents.append(
                Incident(
                    number=number,
                    title=f"{rng.choice(TITLES)} {number}",
                    description="",
                    status=Status.REPORTED
                    if untriaged
                    else rng.choice([Status.DECLARED, Status.DECLARED, Status.MITIGATED]),
                    severity=None if untriaged else rng.choice(levels),
                    reporter=rng.choice(people),
                    reported_at=reported,
                    declared_at=None if untriaged else reported + timedelta(minutes=3),
                    updated_at=now,
                )
            )
        Incident.objects.bulk_create(incidents)
        triaged = [i for i in incidents if i.status != Status.REPORTED]
        RoleAssignment.objects.bulk_create(
            RoleAssignment(
                incident=incident,
                role=commander,
                user=rng.choice(people),
                assigned_at=incident.reported_at + timedelta(minutes=4),
            )
            for incident in triaged
        )
        StatusUpdate.objects.bulk_create(
            StatusUpdate(
                incident=incident,
                text="調査中です。",
                status=incident.status,
                author=reader,
                created_at=incident.reported_at + timedelta(minutes=10 + 10 * k),
                next_update_at=incident.reported_at + timedelta(minutes=40 + 10 * k),
            )
            for incident in triaged
            for k in range(3)
        )
        AlertGroup.objects.bulk_create(
            AlertGroup(
                service=service,
                group_key=f"g{n}",
                title=f"High error rate {n}",
                created_at=now - timedelta(minutes=n),
            )
            for n in range(50)
        )


def child(args: argparse.Namespace) -> dict[str, Any]:
    import django  # noqa: PLC0415  Django is set up only here, once the URL is chosen

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kizuki.config.settings")
    django.setup()
    from django.core.management import call_command  # noqa: PLC0415
    from django.db import connection  # noqa: PLC0415
    from django.test import Client  # noqa: PLC0415

    from kizuki.accounts.models import User  # noqa: PLC0415
    from kizuki.incidents.models import OPEN_STATUSES, Incident  # noqa: PLC0415

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    _build(args.incidents)
    built = time.perf_counter() - started
    reader = User.objects.get(username="user0")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")

    client = Client(SERVER_NAME="127.0.0.1", headers={"Accept-Language": "ja"})
    client.force_login(reader)
    timings: list[float] = []
    size = 0
    for _ in range(args.requests + 1):  # the first once more, to warm the caches
        start = time.perf_counter()
        response = client.get("/")
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.status_code
        size = len(response.content)
    executed: list[str] = []

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        executed.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        client.get("/")
    live = client.get("/", headers={"HX-Request": "true"})
    timings = timings[1:]
    ordered = sorted(timings)
    return {
        "open_incidents": Incident.objects.filter(status__in=OPEN_STATUSES).count(),
        "build_seconds": round(built, 1),
        "requests": len(timings),
        "p50": round(statistics.median(timings), 1),
        "p95": round(ordered[max(int(len(ordered) * 0.95) - 1, 0)], 1),
        "max": round(ordered[-1], 1),
        "queries_per_request": len(executed),
        "page_bytes": size,
        "poll_bytes": len(live.content),
    }


def psql(sql: str) -> None:
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", sql], check=True)


def run(database: str, args: argparse.Namespace) -> dict[str, Any]:
    if database == "sqlite":
        SQLITE_FILE.parent.mkdir(exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{SQLITE_FILE}{suffix}").unlink(missing_ok=True)
        url = f"sqlite:///{SQLITE_FILE}"
    else:
        psql(f"DROP DATABASE IF EXISTS {PG_NAME} WITH (FORCE)")
        psql(f"CREATE DATABASE {PG_NAME}")
        url = PG_URL
    command = [sys.executable, __file__, "--child", "--incidents", str(args.incidents)]
    command += ["--requests", str(args.requests)]
    out = subprocess.run(
        command,
        env={**os.environ, "KIZUKI_DATABASE_URL": url},
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--incidents", type=int, default=1000)
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args)))
        return
    databases = ["sqlite", "postgresql"] if args.database == "both" else [args.database]
    for database in databases:
        result = run(database, args)
        print(f"{database}: " + ", ".join(f"{key} {value}" for key, value in result.items()))


if __name__ == "__main__":
    main()
