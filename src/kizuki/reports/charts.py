"""The Incident Summary Report's charts: SVG drawn server-side by matplotlib, in the active
language, each with the same numbers as a table beside it (for screen readers and for
people who want the figures).

- Text is drawn as paths, so Japanese shows the same in any browser and in WeasyPrint without
  the font installed there; the font is Noto Sans CJK JP when the font manager finds it.
- Output is deterministic (a fixed hash salt, no date metadata): the same report gives the
  same bytes.
- matplotlib is imported inside the functions here, never at start-up: importing it takes
  longer than drawing a chart, and most requests never draw one.
- Drawing takes about a tenth of a second per chart, so every SVG is kept in Django's cache
  (whatever CACHES configures; the default is an in-process LRU) under a hash of the chart's
  kind, its data and the language: the same numbers are drawn once, then cost nothing."""

import hashlib
import html
import json
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from io import StringIO
from typing import TYPE_CHECKING, Any

from django.core.cache import cache as chart_cache
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from kizuki.reports import queries, summary
from kizuki.reports.metrics import DEFINITIONS, PHASES, IncidentMetrics

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.typing import RcKeyType

WIDTH = 5.2  # inches; the SVG scales down to the column it sits in
BAR = "#0969da"
# Okabe-Ito colours: told apart by people with any common colour-vision deficiency.
PHASE_COLOURS = {"detect": "#E69F00", "assign": "#56B4E9", "recover": "#009E73"}
WEEKLY_UP_TO_DAYS = 62  # a period of up to two months is drawn per week, longer per month
# A sparkline's bars: the last one (now) dark, the others light, a point without a value grey.
SPARK_NOW, SPARK_BAR, SPARK_EMPTY = "#2457c5", "#8fa8de", "#c3cad6"
SPARK_SIZE = (2.12, 0.5)  # inches: the panel shows it 10.6rem by 2.5rem
# A cached SVG is keyed by its content, so it never goes stale; the timeout only frees room.
CACHE_SECONDS = 7 * 86400
# How many charts of each kind this process has drawn (not taken from the cache).
DRAWN: dict[str, int] = {}


@dataclass(frozen=True)
class Chart:
    """One chart: its SVG (safe to inline) and the same numbers as a table."""

    key: str
    title: str
    svg: SafeString
    headers: list[str]
    rows: list[list[str]]


def report_charts(result: summary.Summary) -> list[Chart]:
    """Every chart of the report; none when no incident counts."""
    if not result.incidents:
        return []
    charts = [
        _count_chart("by-team", _("Incidents by team"), result.by_team),
        _count_chart("by-severity", _("Incidents by severity"), result.by_severity),
        _trend_chart(result),
        _phase_chart(
            "phases-by-team",
            _("Detect, assign, recover by team"),
            result.incidents,
            lambda i: i.team_name,
        ),
        _phase_chart(
            "phases-by-severity",
            _("Detect, assign, recover by severity"),
            result.incidents,
            lambda i: f"SEV{i.severity_level}" if i.severity_level else "",
        ),
    ]
    causes = getattr(result, "by_cause", None)
    if causes:
        charts.append(_count_chart("by-cause", _("Incidents by cause"), causes))
    return charts


# --- one helper per kind of chart ---------------------------------------------------------


def _count_chart(key: str, title: str, groups: list[Any]) -> Chart:
    """Horizontal bars: how many incidents each group has (labels read well on a phone)."""
    labels = [_label(_field(g, "label")) for g in groups]
    counts = [int(_field(g, "incidents")) for g in groups]

    def draw() -> str:
        with _figure(len(labels)) as figure:
            axes = figure.add_subplot()
            positions = list(range(len(labels)))
            bars = axes.barh(positions, counts, color=BAR, height=0.6)
            axes.bar_label(bars, padding=3)
            for number, bar in enumerate(bars):
                bar.set_gid(f"bar-{number}")
            axes.set_yticks(positions, labels)
            axes.invert_yaxis()
            axes.set_xlabel(_("Incidents"))
            axes.xaxis.set_major_locator(_whole_numbers())
            axes.set_xlim(0, max(counts) * 1.15)
            _plain(axes)
            return _svg(figure, key, title)

    svg = _cached("count", [key, title, labels, counts], draw)
    rows = [[label, str(count)] for label, count in zip(labels, counts, strict=True)]
    return Chart(key, title, svg, [_("Group"), _("Incidents")], rows)


def _trend_chart(result: summary.Summary) -> Chart:
    """MTTA and MTTR per week or month of the period: two lines, one panel each (their scales
    differ by an order of magnitude)."""
    buckets = _buckets(result.filters.start, result.filters.end, result.incidents)
    labels = [label for label, _members in buckets]
    tta = [summary.stats_of([m.time_to_acknowledge for m in ms]).mean for _l, ms in buckets]
    ttr = [summary.stats_of([m.time_to_resolve for m in ms]).mean for _l, ms in buckets]
    weekly = (result.filters.end - result.filters.start).days < WEEKLY_UP_TO_DAYS
    title = _("MTTA and MTTR per week") if weekly else _("MTTA and MTTR per month")

    def draw() -> str:
        with _figure(6) as figure:
            top, bottom = figure.subplots(2, 1, sharex=True)
            for axes, name, values in ((top, "MTTA", tta), (bottom, "MTTR", ttr)):
                divisor, unit = _unit(values)
                points = [float("nan") if v is None else v / divisor for v in values]
                axes.plot(range(len(labels)), points, marker="o", color=BAR)
                axes.set_ylabel(f"{name} ({unit})")
                axes.set_ylim(bottom=0)
                _plain(axes)
            step = -(-len(labels) // 12)  # at most a dozen labels on the axis
            shown = range(0, len(labels), step)
            rotation = 45 if len(shown) > 6 else 0
            bottom.set_xticks(shown, [labels[i] for i in shown], rotation=rotation)
            return _svg(figure, "trend", title)

    svg = _cached("trend", [title, labels, tta, ttr], draw)
    rows = [
        [label, str(len(members)), summary.duration_text(a), summary.duration_text(r)]
        for (label, members), a, r in zip(buckets, tta, ttr, strict=True)
    ]
    headers = [_("Week of") if weekly else _("Month"), _("Incidents"), "MTTA", "MTTR"]
    return Chart("trend", title, svg, headers, rows)


def _phase_chart(
    key: str,
    title: str,
    incidents: list[IncidentMetrics],
    group_of: Callable[[IncidentMetrics], str],
) -> Chart:
    """Stacked horizontal bars: the mean of each phase, per group and for all incidents."""
    grouped: dict[str, list[IncidentMetrics]] = {}
    for incident in incidents:
        grouped.setdefault(group_of(incident), []).append(incident)
    names = sorted(grouped, key=lambda name: (not name, name))
    groups = [(pgettext("report chart", "All incidents"), incidents)] + [
        (_label(n), grouped[n]) for n in names
    ]
    means = [
        {phase: stats.mean or 0.0 for phase, stats in summary.phases_of(members).items()}
        for _name, members in groups
    ]
    divisor, unit = _unit([sum(m.values()) for m in means])
    phase_names = _phase_names()
    names = [name for name, _members in groups]

    def draw() -> str:
        with _figure(len(groups)) as figure:
            axes = figure.add_subplot()
            positions = list(range(len(groups)))
            left = [0.0] * len(groups)
            for phase in PHASES:
                widths = [m[phase] / divisor for m in means]
                bars = axes.barh(
                    positions,
                    widths,
                    left=left,
                    height=0.6,
                    color=PHASE_COLOURS[phase],
                    label=phase_names[phase],
                )
                for number, bar in enumerate(bars):
                    bar.set_gid(f"{phase}-{number}")
                left = [a + b for a, b in zip(left, widths, strict=True)]
            axes.set_yticks(positions, names)
            axes.invert_yaxis()
            axes.set_xlabel(_("Mean time (%(unit)s)") % {"unit": unit})
            axes.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=3, frameon=False)
            _plain(axes)
            return _svg(figure, key, title)

    svg = _cached("phases", [key, title, names, means, divisor, unit], draw)
    rows = [
        [name] + [summary.duration_text(summary.phases_of(members)[p].mean) for p in PHASES]
        for name, members in groups
    ]
    headers = [_("Group")] + [phase_names[p] for p in PHASES]
    return Chart(key, title, svg, headers, rows)


def sparkline(key: str, title: str, values: list[float | None]) -> SafeString:
    """A compact bar chart of a series for a panel, oldest first, the last bar (now) dark: no
    axes and no text (the panel writes the numbers beside it; `title` is the chart's
    accessible name, so say the numbers there too). A point without a value is a thin grey
    mark; the tallest bar fills the height."""

    def draw() -> str:
        top = max((v for v in values if v is not None), default=0.0) or 1.0
        heights = [top * 0.04 if v is None else max(v, top * 0.04) for v in values]
        colours = [
            SPARK_EMPTY if v is None else SPARK_NOW if n == len(values) - 1 else SPARK_BAR
            for n, v in enumerate(values)
        ]
        with _figure(0, size=SPARK_SIZE) as figure:
            axes = figure.add_axes((0.0, 0.0, 1.0, 1.0))
            bars = axes.bar(range(len(values)), heights, width=0.72, color=colours)
            for number, bar in enumerate(bars):
                bar.set_gid(f"bar-{number}")
            axes.set_xlim(-0.5, len(values) - 0.5)
            axes.set_ylim(0, top)
            axes.set_axis_off()
            return _svg(figure, key, title)

    return _cached("sparkline", [key, title, values], draw)


# --- shared pieces ------------------------------------------------------------------------


def _cached(kind: str, data: object, draw: Callable[[], str]) -> SafeString:
    """The chart's SVG from the cache, drawn (and kept) when it is not there. The key is a
    hash of the kind, the data (titles and labels included) and the language, so a change of
    any of them draws again and nothing is ever stale."""
    payload = json.dumps([kind, get_language(), data], sort_keys=True, default=str)
    key = f"kizuki:chart:{kind}:{hashlib.sha256(payload.encode()).hexdigest()}"
    svg = chart_cache.get(key)
    if not isinstance(svg, str):
        svg = str(draw())
        DRAWN[kind] = DRAWN.get(kind, 0) + 1
        chart_cache.set(key, svg, CACHE_SECONDS)
    return mark_safe(svg)  # noqa: S308 -- drawn by _svg(), which escapes the title


def _phase_names() -> dict[str, str]:
    return {
        "detect": pgettext("report phase", "Detect"),
        "assign": pgettext("report phase", "Assign"),
        "recover": pgettext("report phase", "Recover"),
    }


def phase_rows(result: summary.Summary) -> list[tuple[str, str, dict[str, Any]]]:
    """The split over all incidents, as the response-times table shows durations."""
    names = _phase_names()
    return [
        (phase, names[phase], _stats(stats, DEFINITIONS[phase]))
        for phase, stats in summary.phases_of(result.incidents).items()
    ]


def _stats(stats: summary.Stats, definition: object) -> dict[str, Any]:
    return {
        "count": stats.count,
        "mean": summary.duration_text(stats.mean),
        "median": summary.duration_text(stats.median),
        "p90": summary.duration_text(stats.p90),
        "definition": definition,
    }


def _label(name: str) -> str:
    return name or _("None")


def _field(group: Any, name: str) -> Any:
    return group[name] if isinstance(group, dict) else getattr(group, name)


def _buckets(
    start: date, end: date, incidents: list[IncidentMetrics]
) -> list[tuple[str, list[IncidentMetrics]]]:
    """The weeks (from Monday) or months of the period, each with its incidents (by the day
    they were reported, in the organisation's time zone); empty ones included."""
    weekly = (end - start).days < WEEKLY_UP_TO_DAYS
    firsts: list[date] = []
    day = start - timedelta(days=start.weekday()) if weekly else start.replace(day=1)
    while day <= end:
        firsts.append(day)
        day = day + timedelta(days=7) if weekly else (day + timedelta(days=32)).replace(day=1)
    members: dict[date, list[IncidentMetrics]] = {first: [] for first in firsts}
    for incident in incidents:
        reported = queries.day_of(incident.reported_at)
        first = reported - timedelta(days=reported.weekday()) if weekly else reported.replace(day=1)
        members.setdefault(first, []).append(incident)
    label = "%m-%d" if weekly else "%Y-%m"
    return [(first.strftime(label), members[first]) for first in sorted(members)]


def _unit(seconds: list[float | None]) -> tuple[float, str]:
    """A divisor and unit name that keep the largest value readable."""
    largest = max((s for s in seconds if s is not None), default=0.0)
    if largest < 2 * 3600:
        return 60.0, pgettext("duration unit", "minutes")
    if largest < 3 * 86400:
        return 3600.0, pgettext("duration unit", "hours")
    return 86400.0, pgettext("duration unit", "days")


def _plain(axes: "Axes") -> None:
    axes.spines[["top", "right"]].set_visible(False)
    axes.grid(axis="x" if axes.get_xlabel() else "y", color="#d0d7de", linewidth=0.6)
    axes.set_axisbelow(True)


@cache
def _font_family() -> list[str]:
    """Noto Sans CJK JP when installed (it has Latin letters too), else matplotlib's own."""
    from matplotlib import font_manager  # noqa: PLC0415 -- lazily: slow to import

    try:
        font_manager.findfont(
            font_manager.FontProperties(family="Noto Sans CJK JP"), fallback_to_default=False
        )
    except ValueError:
        return ["DejaVu Sans"]
    return ["Noto Sans CJK JP", "DejaVu Sans"]


def _whole_numbers() -> Any:
    from matplotlib.ticker import MaxNLocator  # noqa: PLC0415 -- lazily: slow to import

    return MaxNLocator(integer=True)


@contextmanager
def _figure(rows: int, size: tuple[float, float] | None = None) -> Iterator["Figure"]:
    """A figure tall enough for `rows` bars (or of `size` inches), drawn with the report's
    settings (scoped: no global pyplot state)."""
    import matplotlib  # noqa: PLC0415 -- lazily: slow to import
    from matplotlib.figure import Figure  # noqa: PLC0415

    settings: dict[RcKeyType, Any] = {
        "svg.fonttype": "path",  # text as glyph outlines: no font needed where it is shown
        "svg.hashsalt": "kizuki-report",  # fixed ids: the same chart gives the same bytes
        "font.family": _font_family(),
        "font.size": 9,
        "axes.unicode_minus": False,
    }
    with matplotlib.rc_context(settings):
        if size is not None:
            yield Figure(figsize=size)
        else:
            yield Figure(figsize=(WIDTH, 1.1 + 0.32 * max(rows, 2)), layout="constrained")


def _svg(figure: "Figure", key: str, title: str) -> SafeString:
    """The figure as an inline <svg>: titled, scaling to its container, ids prefixed with
    the chart's key so several charts can share a page."""
    out = StringIO()
    figure.savefig(out, format="svg", metadata={"Date": None, "Creator": None})
    text = out.getvalue()
    text = text[text.index("<svg") :]
    # No <style> and no style attributes: the page's Content Security Policy refuses inline
    # styles (and a <style> in inline SVG would style the whole page). Presentation
    # attributes say the same and are not styles.
    text = re.sub(r"<style[^>]*>.*?</style>", "", text, flags=re.S)
    text = re.sub(r' style="([^"]*)"', _attributes, text)
    text = re.sub(r'id="([^"]+)"', rf'id="{key}-\1"', text)
    text = text.replace('href="#', f'href="#{key}-').replace("url(#", f"url(#{key}-")
    opening_end = text.index(">")
    opening = re.sub(r' (width|height)="[^"]*"', "", text[:opening_end])
    label = html.escape(title)
    return mark_safe(  # noqa: S308 -- matplotlib's own markup; the title is escaped
        f'{opening} role="img" aria-labelledby="{key}-title" class="chart-svg">'
        f'<title id="{key}-title">{label}</title>{text[opening_end + 1 :]}'
    )


def _attributes(style: "re.Match[str]") -> str:
    """`style="fill: #fff; stroke-width: 0.8"` as ` fill="#fff" stroke-width="0.8"`."""
    pairs = (part.split(":", 1) for part in style.group(1).split(";") if ":" in part)
    return "".join(f' {name.strip()}="{value.strip()}"' for name, value in pairs)
