"""The register's chart: the total priority of the open risks, week by week, rebuilt from the
risks' history (their first values and every change of status, potential impact and
likelihood). Drawn as a small server-side SVG: no script, nothing for the Content-Security-
Policy to refuse. (No charting library is installed; a line of a dozen points does not need
one.)"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings

from kizuki.risks import queries, scoring
from kizuki.risks.models import OPEN, Change

WEEKS = 12
WIDTH, HEIGHT, PAD = 800, 180, 28


@dataclass
class Point:
    day: date
    total: int
    x: float = 0
    y: float = 0


@dataclass
class Chart:
    points: list[Point]
    highest: int
    polyline: str
    width: int = WIDTH
    height: int = HEIGHT
    pad: int = PAD

    @property
    def bottom(self) -> int:
        return self.height - self.pad

    @property
    def right(self) -> int:
        return self.width - self.pad

    @property
    def first(self) -> Point:
        return self.points[0]

    @property
    def last(self) -> Point:
        return self.points[-1]


def _end_of(day: date) -> datetime:
    return datetime.combine(day, time.max, tzinfo=ZoneInfo(settings.TIME_ZONE))


def _states(until: datetime) -> dict[int, list[tuple[datetime, dict[str, Any]]]]:
    """Per risk, its (status, potential impact, likelihood) after each change, oldest first."""
    tracked = ("created", "status", "potential_impact", "likelihood")
    changes = Change.objects.filter(event__in=tracked, at__lte=until).order_by("at", "id")
    states: dict[int, list[tuple[datetime, dict[str, Any]]]] = defaultdict(list)
    for change in changes.only("risk_id", "event", "value", "at"):
        history = states[change.risk_id]
        if change.event == "created":
            history.append((change.at, dict(change.value or {})))
        elif history:
            history.append((change.at, {**history[-1][1], change.event: change.value}))
    return states


def _total_at(states: dict[int, list[tuple[datetime, dict[str, Any]]]], moment: datetime) -> int:
    total = 0
    for history in states.values():
        current = next((s for at, s in reversed(history) if at <= moment), None)
        if current is None or current.get("status") not in OPEN:
            continue
        total += scoring.priority(current.get("potential_impact"), current["likelihood"]) or 0
    return total


def open_priority_chart(today: date | None = None) -> Chart:
    day = today or queries.today()
    days = [day - timedelta(weeks=WEEKS - n) for n in range(WEEKS + 1)]
    states = _states(_end_of(day))
    points = [Point(d, _total_at(states, _end_of(d))) for d in days]
    highest = max(1, *(p.total for p in points))
    step = (WIDTH - 2 * PAD) / WEEKS
    for index, point in enumerate(points):
        point.x = round(PAD + index * step, 1)
        point.y = round(HEIGHT - PAD - (HEIGHT - 2 * PAD) * point.total / highest, 1)
    polyline = " ".join(f"{p.x},{p.y}" for p in points)
    return Chart(points, highest, polyline)
