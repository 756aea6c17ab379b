"""The Incident Summary Report as people read it (durations in words, the trend against the
previous period of the same length): the context of the page and of the exported document."""

from dataclasses import replace
from typing import Any

from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from weasyprint import HTML  # type: ignore[import-untyped]
from weasyprint.urls import URLFetcher  # type: ignore[import-untyped]

from kizuki.reports import breakdowns_page, charts, forms, highlights, load_noise, summary
from kizuki.reports.metrics import DEFINITIONS


def report_context(result: summary.Summary) -> dict[str, Any]:
    """What reports/summary_body.html shows; runs one more summary, of the period before."""
    before = result.previous
    if before is None:
        start, end = forms.previous_period(result.filters.start, result.filters.end)
        before = summary.summarise(replace(result.filters, start=start, end=end), compare=False)
    return {
        "filters": result.filters,
        "report": result,
        "trend": _trend(result, before),
        "definitions": DEFINITIONS,
        "times": _times(result),
        "breakdowns": [
            (_("By team"), _groups(result.by_team), "report-by-team"),
            (_("By severity"), _groups(result.by_severity), "report-by-severity"),
        ],
        "followups": _followups(result),
        "highlights": highlights.context(result),  # majors, risks, retrospectives by team
        "load_noise": load_noise.context(result),  # responder load, alert noise
        "phases": charts.phase_rows(result),  # the detect / assign / recover split
        "charts": charts.report_charts(result),
        "cause_breakdowns": breakdowns_page.context(result),  # by service, by cause, top causes
    }


def _times(result: summary.Summary) -> list[tuple[str, str, dict[str, Any]]]:
    rows = [
        ("time_to_acknowledge", _("Time to acknowledge"), result.tta),
        ("time_to_assign", _("Time to assign"), result.tta_assign),
        ("time_to_mitigate", _("Time to mitigate"), result.ttm),
        ("time_to_resolve", _("Time to resolve"), result.ttr),
    ]
    return [(key, label, _stats_text(stats, DEFINITIONS[key])) for key, label, stats in rows]


def _stats_text(stats: summary.Stats, definition: object) -> dict[str, Any]:
    return {
        "count": stats.count,
        "mean": summary.duration_text(stats.mean),
        "median": summary.duration_text(stats.median),
        "p90": summary.duration_text(stats.p90),
        "definition": definition,
    }


def _groups(groups: list[summary.Group]) -> list[dict[str, Any]]:
    return [
        {
            "label": group.label,
            "incidents": group.incidents,
            "mtta": summary.duration_text(group.tta.mean),
            "mttr": summary.duration_text(group.ttr.mean),
        }
        for group in groups
    ]


def _followups(result: summary.Summary) -> list[dict[str, Any]]:
    """Each team's follow-up health, then all of them together."""
    everyone = replace(result.followups, label=_("All teams"))
    return [
        {
            "label": health.label or _("No team"),
            "done": health.done,
            "open": health.open,
            "overdue": health.overdue,
            "completion": "—" if health.completion is None else f"{health.completion:.0%}",
        }
        for health in [*result.followups_by_team, everyone]
    ]


def _trend(now: summary.Summary, before: summary.Summary) -> list[dict[str, Any]]:
    """The totals with the previous period's beside them; `better` says which way is good."""
    return [
        {
            "key": "incidents",
            "value": len(now.incidents),
            "before": len(before.incidents),
            "text": str(len(now.incidents)),
            "before_text": str(len(before.incidents)),
            "better": _better(len(now.incidents), len(before.incidents)),
        },
        _duration_trend("mtta", now.tta, before.tta),
        _duration_trend("mttr", now.ttr, before.ttr),
    ]


def _duration_trend(key: str, now: summary.Stats, before: summary.Stats) -> dict[str, Any]:
    return {
        "key": key,
        "value": now.mean,
        "before": before.mean,
        "text": summary.duration_text(now.mean),
        "before_text": summary.duration_text(before.mean),
        "median": summary.duration_text(now.median),
        "p90": summary.duration_text(now.p90),
        "better": _better(now.mean, before.mean),
    }


def _better(now: float | None, before: float | None) -> str:
    """Lower is better for every total shown: "better", "worse" or "same"."""
    if now is None or before is None or now == before:
        return "same"
    return "better" if now < before else "worse"


def document_html(result: summary.Summary, language: str) -> str:
    """The report as a self-contained HTML document (no page chrome), in `language`."""
    context = {**report_context(result), "language": language}
    return render_to_string("reports/summary_document.html", context)


def document_pdf(html: str) -> bytes:
    """The document as PDF (WeasyPrint; Japanese in Noto Sans CJK JP). Nothing is fetched."""
    document = HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=set()))
    pdf: bytes = document.write_pdf()
    return pdf
