"""The Incident Summary Report page: a period and filters, the totals with their trend
against the previous period of the same length, breakdowns, and the CSV download."""

from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from kizuki.reports import access, breakdowns, forms, presenting, queries, summary
from kizuki.reports.queries import Filters


@login_required
def summary_page(request: HttpRequest) -> HttpResponse:
    access.can_read_summary(request.user)
    today = queries.day_of_now()
    form = forms.SummaryForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    filters = forms.filters_of(data, today)
    result = summary.summarise(filters)
    if request.GET.get("format") == "csv":
        response = HttpResponse(
            summary.csv_text(result.incidents, result.breakdowns),
            content_type="text/csv; charset=utf-8",
        )
        name = f"incidents-{filters.start.isoformat()}-{filters.end.isoformat()}.csv"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    if not form.is_bound:
        form = forms.SummaryForm(initial={"start": filters.start, "end": filters.end})
    context: dict[str, Any] = {
        **presenting.report_context(result),
        "form": form,
        "teams": queries.teams(),
        "severities": queries.severity_levels(),
        "causes": breakdowns.cause_choices(),
        "this_quarter": _query(filters, *forms.quarter_of(today)),
        "previous_quarter": _query(filters, *forms.quarter_of(_quarter_before(filters.start))),
        "csv_query": _query(filters, filters.start, filters.end, format="csv"),
        "download_query": _query(filters, filters.start, filters.end),  # PDF, HTML, CSV
    }
    return render(request, "reports/summary.html", context)


def _quarter_before(day: date) -> date:
    first, _last = forms.quarter_of(day)
    return forms.previous_period(first, first)[0]


def _query(filters: Filters, start: date, end: date, **extra: str) -> str:
    params = {"start": start.isoformat(), "end": end.isoformat()}
    params |= {
        key: str(value)
        for key, value in (
            ("team", filters.team),
            ("service", filters.service),
            ("severity", filters.severity),
            ("cause", filters.cause),
        )
        if value not in ("", None)
    }
    return "?" + urlencode(params | extra)
