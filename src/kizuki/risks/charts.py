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


# A finding's Prometheus snapshot: up to prometheus.MAX_SERIES lines over the range, drawn in
# the same frame as the register's chart (smaller on the page, through CSS).
def short_number(value: float) -> str:
    """4 significant digits, as Prometheus's own graphs do: 0.0123, 1234, 1.235e+06."""
    return f"{value:.4g}"


@dataclass
class Line:
    name: str
    polyline: str
    last: float | None

    @property
    def last_text(self) -> str:
        return "" if self.last is None else short_number(self.last)


@dataclass
class SeriesChart:
    lines: list[Line]
    low: float
    high: float
    start: datetime
    end: datetime
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
    def low_text(self) -> str:
        return short_number(self.low)

    @property
    def high_text(self) -> str:
        return short_number(self.high)


def series_chart(
    series: list[tuple[str, list[tuple[float, float]]]], start: float, end: float
) -> SeriesChart:
    """Lines for (name, [(unix seconds, value), ...]) between `start` and `end`; the value axis
    runs from the lowest value (or 0) to the highest."""
    values = [value for _name, points in series for _at, value in points]
    low = min(0.0, *values) if values else 0.0
    high = max(values) if values else 1.0
    if high <= low:
        high = low + 1
    span = max(end - start, 1.0)

    def place(at: float, value: float) -> str:
        x = PAD + (WIDTH - 2 * PAD) * (at - start) / span
        y = HEIGHT - PAD - (HEIGHT - 2 * PAD) * (value - low) / (high - low)
        return f"{round(x, 1)},{round(y, 1)}"

    lines = [
        Line(name, " ".join(place(at, v) for at, v in points), points[-1][1] if points else None)
        for name, points in series
    ]
    zone = ZoneInfo(settings.TIME_ZONE)
    return SeriesChart(
        lines,
        low,
        high,
        datetime.fromtimestamp(start, zone),
        datetime.fromtimestamp(end, zone),
    )
