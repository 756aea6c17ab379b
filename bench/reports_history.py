"""Five years of history: 100,000 incidents across 20 teams, 2,000,000 timeline entries and
300,000 follow-ups (plus alert groups, commander assignments, status updates and the required
retrospectives) in a fresh database migrated with `kizuki migrate`; then the quarterly
Incident Summary Report (`summarise()` for the latest full quarter, and the page `/reports/`
for it) and the dashboard `/` are timed warm, N runs each, through Django's test client as a
signed-in responder. Prints median, p95 and max in milliseconds and the queries per run.

    .venv/bin/python bench/reports_history.py [--db sqlite|postgresql|both] [--incidents 100000]
                                              [--runs 20] [--reuse]

SQLite: a fresh file var/bench-reports.sqlite3. PostgreSQL: the database kizuki_bench_reports
on 127.0.0.1:5432 (dropped and created again). `--reuse` keeps the database of the last run
(migrated again, not regenerated) to time code changes quickly. Each database runs in its own
process (Django's settings are per process). Timeline entries, follow-ups and the other
children scale with --incidents (20 and 3 per incident)."""

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SQLITE_FILE = ROOT / "var" / "bench-reports.sqlite3"
PG_NAME = "kizuki_bench_reports"
PG_URL = f"postgresql://postgres@127.0.0.1:5432/{PG_NAME}"
NOW = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)
YEARS = 5
TEAMS = 20
SERVICES = 40
PEOPLE = 200
TIMELINE_PER_INCIDENT = 20
FOLLOWUPS_PER_INCIDENT = 3
BATCH = 20_000
TITLES = ["決済APIの遅延", "ログインできない", "Checkout times out", "配送状況が更新されない"]
NOTES = [
    "ログを確認しています。",
    "Rolled back the deploy.",
    "影響範囲を調査中。",
    "Paged the DBA.",
]


def progress(message: str) -> None:
    print(f"  {time.strftime('%H:%M:%S')} {message}", file=sys.stderr, flush=True)


def chunks(rows: Iterable[tuple[Any, ...]], size: int = BATCH) -> Iterator[list[tuple[Any, ...]]]:
    batch: list[tuple[Any, ...]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


class Writer:
    """Fast inserts straight into a model's table: COPY on PostgreSQL, executemany on SQLite.
    Columns not given get the model field's default (JSON as text, blank text, NULL)."""

    def __init__(self) -> None:
        from django.db import connection  # noqa: PLC0415

        self.connection = connection
        self.postgres = connection.vendor == "postgresql"

    def stamp(self, moment: datetime | None) -> Any:
        """A datetime as the backend stores it (SQLite: naive UTC text)."""
        if moment is None or self.postgres:
            return moment
        return moment.astimezone(UTC).replace(tzinfo=None).isoformat(" ")

    def day(self, day: date | None) -> Any:
        return day if day is None or self.postgres else day.isoformat()

    def insert(self, model: Any, columns: list[str], rows: Iterable[tuple[Any, ...]]) -> int:
        given = set(columns)
        extra = [
            f for f in model._meta.concrete_fields if f.column not in given and not f.primary_key
        ]
        tail = tuple(self._default(f) for f in extra)
        names = columns + [f.column for f in extra]
        table = model._meta.db_table
        quoted = ", ".join(self.connection.ops.quote_name(name) for name in names)
        written = 0
        for batch in chunks(rows):
            if self.postgres:
                raw = self.connection.connection
                with (
                    raw.cursor() as cursor,
                    cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy,
                ):
                    for row in batch:
                        copy.write_row(row + tail)
            else:
                marks = ", ".join(["%s"] * len(names))
                with self.connection.cursor() as cursor:
                    cursor.executemany(
                        f"INSERT INTO {table} ({quoted}) VALUES ({marks})",
                        [row + tail for row in batch],
                    )
            written += len(batch)
        return written

    @staticmethod
    def _default(field: Any) -> Any:
        if field.has_default():
            value = field.get_default()
            if field.get_internal_type() == "JSONField":
                return json.dumps(value)
            return value
        if field.null:
            return None
        if field.get_internal_type() in ("CharField", "TextField", "URLField", "SlugField"):
            return ""
        raise ValueError(f"{field.model.__name__}.{field.name} needs a value")

    def reset_sequence(self, model: Any) -> None:
        if not self.postgres:
            return
        table = model._meta.db_table
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
            )


def build(count: int) -> dict[str, int]:  # noqa: PLR0915  one recipe, read top to bottom
    """The teams, services and people, then the history, in bulk."""
    from django.contrib.auth.hashers import make_password  # noqa: PLC0415
    from django.db import transaction  # noqa: PLC0415

    from kizuki.accounts import actions as accounts  # noqa: PLC0415
    from kizuki.accounts.models import OrgRole, User  # noqa: PLC0415
    from kizuki.alerts.models import AlertGroup  # noqa: PLC0415
    from kizuki.catalog import actions as catalog  # noqa: PLC0415
    from kizuki.core import clock  # noqa: PLC0415
    from kizuki.followups.models import FollowUp  # noqa: PLC0415
    from kizuki.incidents.models import (  # noqa: PLC0415
        Incident,
        RoleAssignment,
        RoleType,
        Severity,
        Status,
        StatusUpdate,
        TimelineEntry,
    )
    from kizuki.retros.models import Retrospective  # noqa: PLC0415

    clock.set_now(NOW)
    rng = random.Random(13)
    w = Writer()
    teams = [accounts.create_team(f"team{n:02}", f"Team {n:02}") for n in range(TEAMS)]
    services = [
        catalog.create_service(f"svc{n:02}", f"Service {n:02}", teams[n % TEAMS])
        for n in range(SERVICES)
    ]
    accounts.create_user("reader", "responder")
    User.objects.bulk_create(
        User(username=f"user{n:03}", org_role=OrgRole.RESPONDER, password=make_password(None))
        for n in range(PEOPLE)
    )
    people = list(User.objects.filter(username__startswith="user").values_list("id", flat=True))
    levels = {s.level: s for s in Severity.objects.all()}
    required_levels = {level for level, s in levels.items() if s.retrospective_required}
    commander = RoleType.objects.get(slug="incident_commander").pk
    first = NOW - timedelta(days=365 * YEARS)
    span = (NOW - first).total_seconds()
    weights = {1: 2, 2: 8, 3: 25, 4: 40, 5: 25}

    incidents: list[tuple[Any, ...]] = []
    meta: list[tuple[int, datetime, int | None, int | None, str, datetime | None]] = []
    for number in range(1, count + 1):
        reported = first + timedelta(seconds=span * (number - 0.5) / count)
        age = NOW - reported
        team = teams[rng.randrange(TEAMS)].pk if rng.random() < 0.97 else None
        level = rng.choices(list(weights), list(weights.values()))[0]
        drill = rng.random() < 0.02
        false_alarm = not drill and rng.random() < 0.03
        ack = reported + timedelta(seconds=rng.randint(30, 3600))
        mitigated = ack + timedelta(seconds=rng.randint(300, 6 * 3600))
        resolved = mitigated + timedelta(seconds=rng.randint(60, 24 * 3600))
        closed = resolved + timedelta(days=rng.randint(1, 20))
        if age < timedelta(days=3) or rng.random() < 0.001:
            status = rng.choice(
                [Status.REPORTED, Status.DECLARED, Status.DECLARED, Status.MITIGATED]
            )
        elif false_alarm:
            status = Status.FALSE_ALARM
        else:
            status = Status.CLOSED if closed < NOW else Status.RESOLVED
        reported_only = status == Status.REPORTED
        severity = None if reported_only else levels[level].pk
        open_ = status in (Status.REPORTED, Status.DECLARED, Status.MITIGATED)
        incidents.append(
            (
                number,
                number,
                f"{rng.choice(TITLES)} {number}",
                status,
                severity,
                team,
                rng.choice(people),
                drill,
                w.stamp(reported),
                w.stamp(None if reported_only else ack),
                w.stamp(None if reported_only else ack),
                w.stamp(None if reported_only or status == Status.DECLARED else mitigated),
                w.stamp(None if open_ else resolved),
                w.stamp(closed if status == Status.CLOSED else None),
                w.stamp(reported - timedelta(minutes=rng.randint(0, 30))),
                w.stamp(None if open_ else mitigated),
                w.stamp(min(closed, NOW)),
            )
        )
        meta.append(
            (
                number,
                reported,
                None if reported_only else level,
                team,
                status,
                None if open_ else resolved,
            )
        )
    with transaction.atomic():
        w.insert(
            Incident,
            [
                "id",
                "number",
                "title",
                "status",
                "severity_id",
                "team_id",
                "reporter_id",
                "is_drill",
                "reported_at",
                "acknowledged_at",
                "declared_at",
                "mitigated_at",
                "resolved_at",
                "closed_at",
                "impact_started_at",
                "impact_ended_at",
                "updated_at",
            ],
            incidents,
        )
        w.reset_sequence(Incident)
        progress(f"{count:,} incidents")
        service_ids = [s.pk for s in services]
        w.insert(
            Incident.services.through,
            ["incident_id", "service_id"],
            ((number, rng.choice(service_ids)) for number, *_rest in meta),
        )
        w.insert(
            RoleAssignment,
            ["incident_id", "role_id", "user_id", "assigned_at"],
            (
                (number, commander, rng.choice(people), w.stamp(reported + timedelta(minutes=5)))
                for number, reported, level, *_rest in meta
                if level is not None and rng.random() < 0.9
            ),
        )
        w.insert(
            StatusUpdate,
            ["incident_id", "text", "status", "author_id", "created_at", "next_update_at"],
            (
                (
                    number,
                    "調査中です。",
                    status,
                    rng.choice(people),
                    w.stamp(reported + timedelta(minutes=15)),
                    w.stamp(reported + timedelta(minutes=45)),
                )
                for number, reported, level, _team, status, _resolved in meta
                if level is not None
            ),
        )
        alerts = w.insert(
            AlertGroup,
            ["service_id", "group_key", "title", "status", "incident_id", "created_at"],
            (
                (
                    rng.choice(service_ids),
                    f"g{number}-{k}",
                    f"High error rate {number}",
                    "resolved" if resolved else "firing",
                    number,
                    w.stamp(reported - timedelta(minutes=rng.randint(1, 10))),
                )
                for number, reported, _level, _team, _status, resolved in meta
                if rng.random() < 0.4
                for k in range(rng.randint(1, 2))
            ),
        )
        progress(f"{alerts:,} alert groups, commanders, status updates")
        retros = w.insert(
            Retrospective,
            [
                "incident_id",
                "status",
                "required",
                "due_at",
                "published_at",
                "created_at",
                "updated_at",
            ],
            (
                (
                    number,
                    "published" if published else "draft",
                    True,
                    w.stamp(resolved + timedelta(days=14)),
                    w.stamp(published),
                    w.stamp(resolved),
                    w.stamp(published or resolved),
                )
                for number, _reported, level, _team, _status, resolved in meta
                if level in required_levels and resolved is not None
                for published in [
                    resolved + timedelta(days=rng.randint(3, 20)) if rng.random() < 0.9 else None
                ]
                if published is None or published < NOW
            ),
        )
        progress(f"{retros:,} retrospectives")
    with transaction.atomic():
        # Recent follow-ups are mixed; those due more than half a year ago are nearly all
        # settled (a few stay open for years: overdue).
        recent = ["done"] * 5 + ["open"] * 3 + ["in_progress", "wont_do"]
        settled = ["done"] * 170 + ["wont_do"] * 29 + ["open"]
        followups = w.insert(
            FollowUp,
            ["incident_id", "team_id", "title", "status", "due_date", "created_at", "updated_at"],
            (
                (
                    number,
                    team if rng.random() < 0.7 else teams[rng.randrange(TEAMS)].pk,
                    f"再発防止策 {number}-{k}",
                    rng.choice(recent if due > NOW - timedelta(days=180) else settled),
                    w.day(due.date()),
                    w.stamp(reported + timedelta(days=1)),
                    w.stamp(reported + timedelta(days=1)),
                )
                for number, reported, _level, team, _status, _resolved in meta
                for k in range(rng.randint(0, 2 * FOLLOWUPS_PER_INCIDENT))
                for due in [reported + timedelta(days=rng.randint(7, 90))]
            ),
        )
        progress(f"{followups:,} follow-ups")
    total = count * TIMELINE_PER_INCIDENT
    done = 0
    for start in range(0, count, 10_000):
        with transaction.atomic():
            done += w.insert(
                TimelineEntry,
                ["incident_id", "kind", "event", "data", "text", "occurred_at", "created_at"],
                (
                    _entry(w, rng, number, reported, k)
                    for number, reported, *_rest in meta[start : start + 10_000]
                    for k in range(rng.randint(1, 2 * TIMELINE_PER_INCIDENT - 1))
                ),
            )
        progress(f"{done:,} / ~{total:,} timeline entries")
    return {"incidents": count, "timeline": done, "followups": followups, "alerts": alerts}


def _entry(
    w: Writer, rng: random.Random, number: int, reported: datetime, k: int
) -> tuple[Any, ...]:
    at = w.stamp(reported + timedelta(minutes=3 * k + 1))
    if k % 4 == 3:
        return (number, "change", "edited", '{"fields": ["title"]}', "", at, at)
    return (number, "note", "", "{}", rng.choice(NOTES), at, at)


def timed(runs: int, call: Callable[[], Any]) -> dict[str, Any]:
    from django.db import connection  # noqa: PLC0415

    call()  # warm
    executed: list[str] = []

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        executed.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        call()
    timings = []
    cpu = []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        call()
        timings.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    ordered = sorted(timings)
    return {
        "median_ms": round(statistics.median(ordered), 1),
        # This process's CPU time: Python, and SQLite's work (in process), not PostgreSQL's.
        "cpu_median_ms": round(statistics.median(cpu), 1),
        "p95_ms": round(ordered[max(int(len(ordered) * 0.95 + 0.5) - 1, 0)], 1),
        "max_ms": round(ordered[-1], 1),
        "queries": len(executed),
    }


def child(args: argparse.Namespace) -> dict[str, Any]:
    import django  # noqa: PLC0415  Django is set up only here, once the URL is chosen

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kizuki.config.settings")
    subprocess.run([str(Path(sys.executable).parent / "kizuki"), "migrate", "-v", "0"], check=True)
    django.setup()
    from django.db import connection  # noqa: PLC0415
    from django.test import Client  # noqa: PLC0415

    from kizuki.accounts.models import User  # noqa: PLC0415
    from kizuki.core import clock  # noqa: PLC0415
    from kizuki.incidents.models import Incident  # noqa: PLC0415
    from kizuki.reports import forms, summary  # noqa: PLC0415
    from kizuki.reports.queries import Filters  # noqa: PLC0415

    result: dict[str, Any] = {"database": connection.vendor}
    if not Incident.objects.exists():
        started = time.perf_counter()
        result |= build(args.incidents)
        result["build_s"] = round(time.perf_counter() - started, 1)
        if connection.vendor == "postgresql":  # as autovacuum would; SQLite has no statistics
            with connection.cursor() as cursor:  # unless someone runs ANALYZE, and Kizuki doesn't
                cursor.execute("VACUUM ANALYZE")
    clock.set_now(NOW)
    start, end = forms.quarter_of(forms.previous_period(*forms.quarter_of(NOW.date()))[0])
    filters = Filters(start=start, end=end)
    reader = User.objects.get(username="reader")
    client = Client(SERVER_NAME="127.0.0.1", headers={"Accept-Language": "ja"})
    client.force_login(reader)
    page = f"/reports/?start={start.isoformat()}&end={end.isoformat()}"

    def get(url: str) -> Callable[[], None]:
        def call() -> None:
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)

        return call

    numbers = summary.summarise(filters)
    result["load_average"] = round(os.getloadavg()[0], 1)  # a busy machine slows every figure
    result["quarter"] = f"{start}..{end}"
    result["quarter_incidents"] = len(numbers.incidents)
    result["summarise"] = timed(args.runs, lambda: summary.summarise(filters))
    result["/reports/"] = timed(args.runs, get(page))
    result["/"] = timed(args.runs, get("/"))
    return result


def psql(sql: str) -> None:
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", sql], check=True)


def run(database: str, args: argparse.Namespace) -> dict[str, Any]:
    if database == "sqlite":
        SQLITE_FILE.parent.mkdir(exist_ok=True)
        if not args.reuse:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{SQLITE_FILE}{suffix}").unlink(missing_ok=True)
        url = f"sqlite:///{SQLITE_FILE}"
    else:
        if not args.reuse:
            psql(f"DROP DATABASE IF EXISTS {PG_NAME} WITH (FORCE)")
            psql(f"CREATE DATABASE {PG_NAME}")
        url = PG_URL
    command = [sys.executable, __file__, "--child", "--incidents", str(args.incidents)]
    command += ["--runs", str(args.runs)]
    out = subprocess.run(
        command,
        env={**os.environ, "KIZUKI_DATABASE_URL": url},
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    )
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def table(results: list[dict[str, Any]]) -> str:
    head = f"{'database':<11}{'what':<12}{'median ms':>10}{'p95 ms':>9}{'max ms':>9}"
    lines = [head + f"{'cpu ms':>9}{'queries':>9}"]
    for result in results:
        for what in ("summarise", "/reports/", "/"):
            figures = result[what]
            lines.append(
                f"{result['database']:<11}{what:<12}{figures['median_ms']:>10}"
                f"{figures['p95_ms']:>9}{figures['max_ms']:>9}{figures['cpu_median_ms']:>9}"
                f"{figures['queries']:>9}"
            )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--incidents", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--reuse", action="store_true", help="keep the last run's database")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args)))
        return
    databases = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    results = []
    for database in databases:
        result = run(database, args)
        sizes = {
            k: result[k]
            for k in ("incidents", "timeline", "followups", "alerts", "build_s")
            if k in result
        }
        counted = f"{result['quarter_incidents']} incidents counted"
        sizes["load_average"] = result["load_average"]
        print(f"{database}: quarter {result['quarter']} ({counted}) {sizes}")
        results.append(result)
        print(table([result]), flush=True)
    print(table(results))


if __name__ == "__main__":
    main()
