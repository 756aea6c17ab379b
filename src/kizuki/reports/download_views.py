"""The Incident Summary Report as a file, from the page's links: PDF, HTML or CSV of the
same period and filters, in the reader's language. The documents are the CLI's (the same
rendering code in presenting.py), charts included."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language

from kizuki.reports import access, forms, presenting, queries, summary

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "html": "text/html; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
}


@login_required
def summary_download(request: HttpRequest, output: str) -> HttpResponse:
    access.can_read_summary(request.user)  # the URL allows only the formats above
    params = {
        "from": request.GET.get("start", ""),
        "to": request.GET.get("end", ""),
        "team": request.GET.get("team", ""),
        "service": request.GET.get("service", ""),
        "severity": request.GET.get("severity", ""),
        "cause": request.GET.get("cause", ""),
    }
    filters = forms.filters_from(params, queries.day_of_now())
    result = summary.summarise(filters)
    body: str | bytes
    if output == "csv":
        body = summary.csv_text(result.incidents, result.breakdowns)
        name = "incidents"
    else:
        body = presenting.document_html(result, get_language() or "ja")
        if output == "pdf":
            body = presenting.document_pdf(body)
        name = "incident-summary"
    response = HttpResponse(body, content_type=CONTENT_TYPES[output])
    period = f"{filters.start.isoformat()}-{filters.end.isoformat()}"
    response["Content-Disposition"] = f'attachment; filename="{name}-{period}.{output}"'
    return response
