"""Regulator-ready report pages: the panel on the incident's page (registered from
ReportsConfig.ready()), preparing a stage, the report's page (edit the sections, see its
versions, record submission) and the PDF / Word downloads. Each POST authorises before the
form is read, calls one action and redirects."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kizuki.core.access import allows
from kizuki.core.errors import CORRECTABLE
from kizuki.incidents.access import Need, check_incident
from kizuki.incidents.views import IncidentPage
from kizuki.reports import regulatory_actions as actions
from kizuki.reports import regulatory_export as export
from kizuki.reports import regulatory_queries as queries
from kizuki.reports.majors import MAJOR_SEVERITY  # the summary report's major incidents too
from kizuki.reports.models import RegulatoryReport, Stage
from kizuki.reports.regulatory_access import access_incident_reports, access_report
from kizuki.reports.regulatory_forms import PrepareForm, SectionsForm


def is_major(page: IncidentPage) -> bool:
    severity = page.incident.severity
    return severity is not None and severity.level <= MAJOR_SEVERITY and not page.incident.is_drill


def incident_panel(page: IncidentPage) -> tuple[str, dict[str, Any]] | None:
    """The three stages with their state, for major incidents (or any incident that already
    has a report); responders get a button to prepare each stage."""
    reports = {report.stage: report for report in queries.reports_of(page.incident)}
    if not reports and not is_major(page):
        return None
    can_prepare = allows(check_incident, page.user, page.incident, Need.RESPOND)
    stages = [(value, label, reports.get(value)) for value, label in Stage.choices]
    return "reports/regulatory_panel.html", {
        "regulatory_stages": stages,
        "regulatory_can_prepare": can_prepare,
    }


@require_POST
@login_required
def prepare(request: HttpRequest, ref: str) -> HttpResponse:
    person, incident = access_incident_reports(request.user, ref, Need.RESPOND)
    form = PrepareForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the initial, interim or final report."))
        return redirect(reverse("incident-detail", kwargs={"ref": incident.ref}))
    report = actions.prepare(person, incident, form.cleaned_data["stage"])
    messages.success(request, _("Drafted from the incident: check each section before exporting."))
    return redirect(reverse("regulatory-detail", kwargs={"report_id": report.pk}))


@login_required
def detail(request: HttpRequest, report_id: int) -> HttpResponse:
    need = Need.RESPOND if request.method == "POST" else Need.READ
    person, report = access_report(request.user, report_id, need)
    if request.method == "POST":
        form = SectionsForm(request.POST)
        if form.is_valid():
            try:
                actions.edit_sections(person, report, form.cleaned_data)
            except CORRECTABLE as error:
                form.add_error(None, error.detail)
            else:
                messages.success(request, _("Saved as a new version."))
                return redirect(reverse("regulatory-detail", kwargs={"report_id": report.pk}))
        return _page(request, report, form, status=400)
    return _page(request, report, SectionsForm(initial=queries.latest(report).sections))


def _page(
    request: HttpRequest, report: RegulatoryReport, form: SectionsForm, status: int = 200
) -> HttpResponse:
    can_edit = allows(check_incident, request.user, report.incident, Need.RESPOND)
    return render(
        request,
        "reports/regulatory_detail.html",
        {
            "report": report,
            "incident": report.incident,
            "form": form,
            "versions": queries.versions(report),
            "can_edit": can_edit,
        },
        status=status,
    )


@require_POST
@login_required
def submitted(request: HttpRequest, report_id: int) -> HttpResponse:
    person, report = access_report(request.user, report_id, Need.RESPOND)
    actions.record_submission(person, report)
    messages.success(request, _("Submission to the regulator recorded."))
    return redirect(reverse("regulatory-detail", kwargs={"report_id": report.pk}))


def _download(
    data: bytes, content_type: str, report: RegulatoryReport, suffix: str
) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    name = f"{report.incident.ref}-regulatory-{report.stage}.{suffix}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def export_pdf(request: HttpRequest, report_id: int) -> HttpResponse:
    _person, report = access_report(request.user, report_id)
    return _download(export.to_pdf(report), "application/pdf", report, "pdf")


@login_required
def export_docx(request: HttpRequest, report_id: int) -> HttpResponse:
    _person, report = access_report(request.user, report_id)
    word = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    return _download(export.to_docx(report), word, report, "docx")
