"""Reading regulator-ready reports."""

from django.utils.translation import gettext as _

from kizuki.core.errors import NotFound
from kizuki.incidents.models import Incident
from kizuki.reports.models import RegulatoryReport, RegulatoryReportVersion


def reports_of(incident: Incident) -> list[RegulatoryReport]:
    """The incident's reports in stage order (initial, interim, final)."""
    order = {"initial": 0, "interim": 1, "final": 2}
    found = list(RegulatoryReport.objects.filter(incident=incident))
    return sorted(found, key=lambda report: order.get(report.stage, 9))


def find_report(incident: Incident, stage: str) -> RegulatoryReport | None:
    return RegulatoryReport.objects.filter(incident=incident, stage=stage).first()


def get_report(report_id: int) -> RegulatoryReport:
    report = (
        RegulatoryReport.objects.select_related("incident", "incident__severity")
        .filter(pk=report_id)
        .first()
    )
    if report is None:
        raise NotFound(_("No regulatory report %(id)s.") % {"id": report_id})
    return report


def versions(report: RegulatoryReport) -> list[RegulatoryReportVersion]:
    return list(report.versions.select_related("created_by").order_by("-number"))


def latest(report: RegulatoryReport) -> RegulatoryReportVersion:
    version = report.versions.order_by("-number").first()
    if version is None:  # every report is created with its first version
        raise NotFound(_("This regulatory report has no text yet."))
    return version
