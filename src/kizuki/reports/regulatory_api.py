"""REST endpoints for regulator-ready reports: viewers read, responders prepare, edit and
record submission. Thin: authorise, call one action, serialise."""

from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from kizuki.core.schemas import utc
from kizuki.incidents.access import Need
from kizuki.reports import regulatory_actions as actions
from kizuki.reports import regulatory_queries as queries
from kizuki.reports.models import SECTION_KEYS, RegulatoryReport
from kizuki.reports.regulatory_access import access_incident_reports, access_report

router = Router(tags=["regulatory reports"])


class RegulatoryStageIn(Schema):
    stage: str = Field(max_length=20, description="initial, interim or final")


class RegulatorySectionsIn(Schema):
    sections: dict[str, str] = Field(description="section key → new text; others are kept")


class RegulatoryVersionOut(Schema):
    number: int
    created_at: datetime | None
    created_by: str | None


class RegulatoryReportOut(Schema):
    id: int
    incident: str
    stage: str
    stage_name: str
    version: int
    sections: dict[str, str]
    submitted_at: datetime | None
    versions: list[RegulatoryVersionOut]


def report_out(report: RegulatoryReport) -> RegulatoryReportOut:
    history = queries.versions(report)
    latest = history[0]
    return RegulatoryReportOut(
        id=report.pk,
        incident=report.incident.ref,
        stage=report.stage,
        stage_name=str(report.get_stage_display()),
        version=latest.number,
        # In reading order: PostgreSQL's jsonb keeps keys in its own order.
        sections={key: latest.sections.get(key, "") for key in SECTION_KEYS},
        submitted_at=utc(report.submitted_at),
        versions=[
            RegulatoryVersionOut(
                number=v.number,
                created_at=utc(v.created_at),
                created_by=v.created_by.username if v.created_by else None,
            )
            for v in history
        ],
    )


@router.post("/incidents/{ref}/regulatory-reports", response={201: RegulatoryReportOut})
def prepare(request: HttpRequest, ref: str, body: RegulatoryStageIn) -> Status[RegulatoryReportOut]:
    person, incident = access_incident_reports(request.user, ref, Need.RESPOND)
    report = actions.prepare(person, incident, body.stage)
    return Status(201, report_out(report))


@router.get("/incidents/{ref}/regulatory-reports", response=list[RegulatoryReportOut])
def list_reports(request: HttpRequest, ref: str) -> list[RegulatoryReportOut]:
    _person, incident = access_incident_reports(request.user, ref)
    return [report_out(report) for report in queries.reports_of(incident)]


@router.get("/regulatory-reports/{report_id}", response=RegulatoryReportOut)
def show(request: HttpRequest, report_id: int) -> RegulatoryReportOut:
    _person, report = access_report(request.user, report_id)
    return report_out(report)


@router.patch("/regulatory-reports/{report_id}", response=RegulatoryReportOut)
def edit(request: HttpRequest, report_id: int, body: RegulatorySectionsIn) -> RegulatoryReportOut:
    person, report = access_report(request.user, report_id, Need.RESPOND)
    return report_out(actions.edit_sections(person, report, body.sections))


@router.post("/regulatory-reports/{report_id}/submitted", response=RegulatoryReportOut)
def submitted(request: HttpRequest, report_id: int) -> RegulatoryReportOut:
    person, report = access_report(request.user, report_id, Need.RESPOND)
    return report_out(actions.record_submission(person, report))
