"""Issue 13's done-when: on a generated history with known answers, the summary report's
numbers (MTTA, MTTR, per-team counts, overdue follow-ups, major incidents, risks, the previous
period) match values computed here from what was generated — never by the reports code —
through the API's JSON, the API's CSV and `kizuki report summary --format json`.

The history is random but seeded: two quarters of incidents of three teams (one incident in
ten without a team), some drills and false alarms, some never acknowledged or still open,
with follow-ups of every status and System Risk Records opened and closed."""

import csv
import io
import json
import random
import statistics
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.management import call_command

from kizuki.accounts import actions as accounts
from kizuki.accounts.models import Team, User
from kizuki.catalog import actions as catalog
from kizuki.followups import actions as followups
from kizuki.incidents import actions as incidents
from kizuki.risks import actions as risks
from tests.conftest import Api, MovableClock
from tests.retros.domain_support import ok

pytestmark = pytest.mark.django_db

SEED = 13
PERIOD = (date(2026, 10, 1), date(2026, 12, 31))
PREVIOUS = (date(2026, 7, 1), date(2026, 9, 30))  # the 92 days just before
TEAMS = ["payments", "search", "identity"]
NOW = datetime(2026, 12, 3, 3, 0, tzinfo=UTC)  # when the report is read


@dataclass
class Made:
    """One generated incident, as the test knows it."""

    ref: str
    team: str  # the team's name, "" for none
    severity: int | None  # set when declared
    kind: str  # "real", "drill" or "false_alarm"
    reported_at: datetime
    acknowledged_at: datetime | None = None
    resolved_at: datetime | None = None
    followups: list[tuple[str, date]] = field(default_factory=list)  # (status, due date)

    @property
    def counts(self) -> bool:
        return self.kind == "real"


@dataclass
class Generated:
    incidents: list[Made]
    risks_opened: int  # in PERIOD
    risks_closed: int  # in PERIOD
    risks_open_at_end: int


def _at(clock: MovableClock, moment: datetime) -> None:
    clock.now = moment
    clock.advance()


def _day(moment: datetime) -> date:
    return moment.astimezone(ZoneInfo(settings.TIME_ZONE)).date()


def generate(actor: User, clock: MovableClock) -> Generated:
    rng = random.Random(SEED)  # noqa: S311 -- a reproducible history, not a secret
    teams: dict[str, Team] = {slug: accounts.create_team(slug, slug.title()) for slug in TEAMS}
    services = {
        slug: catalog.create_service(f"{slug}-api", slug, team) for slug, team in teams.items()
    }
    made: list[Made] = []
    moment = datetime(2026, 7, 1, 3, 0, tzinfo=UTC)
    while True:
        moment += timedelta(days=rng.randint(2, 5), hours=rng.randint(0, 12))
        if moment > NOW - timedelta(days=2):
            break
        _at(clock, moment)
        slug = rng.choice(TEAMS) if rng.random() > 0.1 else ""
        roll = rng.random()
        kind = "drill" if roll < 0.1 else "false_alarm" if roll < 0.18 else "real"
        severity = rng.randint(1, 4)
        incident = incidents.report_incident(
            actor,
            f"Generated {len(made) + 1}",
            team=teams[slug] if slug else None,
            page_on_call=False,
            is_drill=kind == "drill",
        )
        record = Made(
            incident.ref,
            teams[slug].name if slug else "",
            None,
            kind,
            clock.now,
        )
        made.append(record)
        if kind == "false_alarm":
            clock.advance(minutes=rng.randint(1, 30))
            incidents.transition(actor, incident, "false_alarm")
            continue
        if rng.random() < 0.1:  # nobody acknowledged it yet
            continue
        clock.advance(minutes=rng.randint(1, 90))
        incident = incidents.transition(actor, incident, "acknowledged")
        record.acknowledged_at = clock.now
        incident = incidents.transition(actor, incident, "declared", severity=severity)
        record.severity = severity
        if rng.random() < 0.2:  # still open
            continue
        clock.advance(minutes=rng.randint(10, 600))
        incident = incidents.transition(actor, incident, "resolved")
        record.resolved_at = clock.now
        for n in range(rng.randint(0, 3)):
            due = PERIOD[0] + timedelta(days=rng.randint(0, 91))
            status = rng.choice(["open", "open", "in_progress", "done", "wont_do"])
            followup = followups.create_followup(
                actor, incident, {"title": f"Measure {n + 1} of {incident.ref}", "due_date": due}
            )
            if status != "open":
                change: dict[str, Any] = {"status": status}
                if status == "wont_do":
                    change["status_reason"] = "Covered by another measure."
                followups.update_followup(actor, followup, change)
            record.followups.append((status, due))

    # Risks: some recorded before the period, some in it; some closed in it.
    opened = closed = open_at_end = 0
    since = datetime(2026, 9, 30, 15, 0, tzinfo=UTC)  # 2026-10-01 00:00 in Tokyo
    for n in range(8):
        _at(clock, datetime(2026, 8, 1, 3, 0, tzinfo=UTC) + timedelta(days=15 * n))
        slug = rng.choice(TEAMS)
        risk = risks.create_risk(
            actor,
            {
                "title": f"Risk {n + 1}",
                "services": [services[slug]],
                "potential_impact": rng.choice([1, 3, 6, 10]),
                "likelihood": rng.choice([1, 2]),
            },
        )
        opened += clock.now >= since
        if rng.random() < 0.5:
            clock.advance(days=rng.randint(1, 10))
            risks.update_risk(actor, risk, {"status": "done", "reason": "Fixed."})
            closed += clock.now >= since
        else:
            open_at_end += 1
    _at(clock, NOW)
    return Generated(made, opened, closed, open_at_end)


def _in(period: tuple[date, date], made: Made) -> bool:
    return period[0] <= _day(made.reported_at) <= period[1]


def _seconds(start: datetime, end: datetime | None) -> float | None:
    return None if end is None else (end - start).total_seconds()


def _mean(values: list[float | None]) -> float | None:
    present = [value for value in values if value is not None]
    return statistics.fmean(present) if present else None


@dataclass
class Expected:
    counted: list[Made]
    mtta: float | None
    mttr: float | None
    per_team: dict[str, int]
    overdue: int
    overdue_per_team: dict[str, int]
    majors: list[str]


def expected(generated: Generated, period: tuple[date, date]) -> Expected:
    counted = [m for m in generated.incidents if m.counts and _in(period, m)]
    today = _day(NOW)
    overdue_per_team: Counter[str] = Counter()
    for made in counted:
        for status, due in made.followups:
            if status in ("open", "in_progress") and due < today:
                overdue_per_team[made.team] += 1
    return Expected(
        counted=counted,
        mtta=_mean([_seconds(m.reported_at, m.acknowledged_at) for m in counted]),
        mttr=_mean([_seconds(m.reported_at, m.resolved_at) for m in counted]),
        per_team=dict(Counter(m.team for m in counted)),
        overdue=sum(overdue_per_team.values()),
        overdue_per_team={team: n for team, n in overdue_per_team.items() if n},
        majors=[m.ref for m in counted if m.severity is not None and m.severity <= 2],
    )


@pytest.fixture
def generated(responder_api: Api, frozen_clock: MovableClock) -> Generated:
    assert responder_api.user is not None
    return generate(responder_api.user, frozen_clock)


def _period(period: tuple[date, date]) -> dict[str, str]:
    return {"from": period[0].isoformat(), "to": period[1].isoformat()}


def _check_json(body: dict[str, Any], want: Expected, generated: Generated) -> None:
    assert body["incidents"] == len(want.counted)
    assert body["mtta_seconds"] == pytest.approx(want.mtta)
    assert body["mttr_seconds"] == pytest.approx(want.mttr)
    assert {group["label"]: group["incidents"] for group in body["by_team"]} == want.per_team
    assert body["followups"]["overdue"] == want.overdue
    overdue = {
        row["team"]: row["overdue"] for row in body["followups"]["by_team"] if row["overdue"]
    }
    assert overdue == want.overdue_per_team
    assert [major["incident"] for major in body["major_incidents"]] == want.majors
    assert body["risks"]["opened"] == generated.risks_opened
    assert body["risks"]["closed"] == generated.risks_closed
    assert body["risks"]["open_at_end"] == generated.risks_open_at_end


def test_the_generated_history_has_something_to_count(generated: Generated) -> None:
    want = expected(generated, PERIOD)
    assert len(want.counted) >= 10
    assert len(want.per_team) >= 3
    assert want.overdue > 0
    assert want.majors
    assert any(m.kind == "drill" for m in generated.incidents)
    assert any(m.kind == "false_alarm" for m in generated.incidents)
    assert any(m.counts and m.resolved_at is None for m in generated.incidents)


def test_the_api_json_matches_the_known_answers(generated: Generated, viewer_api: Api) -> None:
    body = ok(viewer_api.get("/reports/summary", **_period(PERIOD)))
    _check_json(body, expected(generated, PERIOD), generated)
    before = expected(generated, PREVIOUS)
    assert body["previous"]["from"] == PREVIOUS[0].isoformat()
    assert body["previous"]["to"] == PREVIOUS[1].isoformat()
    assert body["previous"]["incidents"] == len(before.counted)
    assert body["previous"]["mtta_seconds"] == pytest.approx(before.mtta)
    assert body["previous"]["mttr_seconds"] == pytest.approx(before.mttr)


def test_a_team_filter_narrows_to_the_teams_known_answers(
    generated: Generated, viewer_api: Api
) -> None:
    body = ok(viewer_api.get("/reports/summary", **_period(PERIOD), team="search"))
    counted = [m for m in expected(generated, PERIOD).counted if m.team == "Search"]
    assert body["incidents"] == len(counted)
    assert body["mtta_seconds"] == pytest.approx(
        _mean([_seconds(m.reported_at, m.acknowledged_at) for m in counted])
    )


def test_the_api_csv_matches_the_known_answers(generated: Generated, viewer_api: Api) -> None:
    response = viewer_api.get("/reports/summary", **_period(PERIOD), format="csv")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    want = expected(generated, PERIOD)
    assert [row["incident"] for row in rows] == [m.ref for m in want.counted]
    assert dict(Counter(row["team"] for row in rows)) == want.per_team
    tta = [
        float(row["time_to_acknowledge_seconds"])
        for row in rows
        if row["time_to_acknowledge_seconds"]
    ]
    ttr = [float(row["time_to_resolve_seconds"]) for row in rows if row["time_to_resolve_seconds"]]
    assert statistics.fmean(tta) == pytest.approx(want.mtta)
    assert statistics.fmean(ttr) == pytest.approx(want.mttr)


def test_the_cli_json_matches_the_known_answers(generated: Generated) -> None:
    out = io.StringIO()
    call_command(
        "report",
        "summary",
        "--from",
        PERIOD[0].isoformat(),
        "--to",
        PERIOD[1].isoformat(),
        "--format",
        "json",
        stdout=out,
        stderr=io.StringIO(),
    )
    _check_json(json.loads(out.getvalue()), expected(generated, PERIOD), generated)
