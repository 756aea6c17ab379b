"""Response metrics, summary reports and regulator-ready reports in the API."""

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router

from kizuki.core.errors import InvalidInput
from kizuki.reports import access, forms, queries, summary
from kizuki.reports.schemas import SummaryQuery

router = Router(tags=["reports"])


@router.get("/reports/summary", response=dict)
def report_summary(
    request: HttpRequest, query: Query[SummaryQuery]
) -> HttpResponse | dict[str, object]:
    """The Incident Summary Report's numbers: ?from=YYYY-MM-DD&to=YYYY-MM-DD (days in the
    organisation's time zone, `to` inclusive; default this quarter), optional team, service
    (slugs), severity (level) and cause (a cause category's slug). Drills and false alarms
    are left out. format=csv: one row per incident with its milestones and durations."""
    access.can_read_summary(request.user)
    output = query.format
    if output not in ("json", "csv"):
        raise InvalidInput(_("Unknown format %(format)s; use json or csv.") % {"format": output})
    params = {
        "from": query.start,
        "to": query.end,
        "team": query.team,
        "service": query.service,
        "severity": query.severity,
        "cause": query.cause,
    }
    filters = forms.filters_from(params, queries.day_of_now())
    result = summary.summarise(filters)
    if output == "csv":
        response = HttpResponse(
            summary.csv_text(result.incidents, result.breakdowns),
            content_type="text/csv; charset=utf-8",
        )
        name = f"incidents-{filters.start.isoformat()}-{filters.end.isoformat()}.csv"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    return result.as_dict()
