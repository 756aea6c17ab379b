"""The only write path for regulator-ready reports: prepare a stage (a fresh draft from the
incident, kept as a new version), edit its sections (a new version) and record when it was
submitted to the regulator. Each is one transaction with its audit entry."""

from django.db import transaction
from django.utils.translation import gettext as _

from kizuki.accounts.models import User
from kizuki.core import clock
from kizuki.core.actions import record_audit
from kizuki.core.errors import InvalidInput
from kizuki.incidents.models import Incident
from kizuki.reports import regulatory_drafting, regulatory_queries
from kizuki.reports.models import SECTION_KEYS, RegulatoryReport, RegulatoryReportVersion, Stage

MAX_SECTION = 20_000  # characters; a regulator's form is long, not unbounded


def check_stage(stage: str) -> str:
    if stage not in Stage.values:
        raise InvalidInput(
            _("Unknown stage %(stage)s: use initial, interim or final.") % {"stage": stage}
        )
    return stage


@transaction.atomic
def prepare(person: User | None, incident: Incident, stage: str) -> RegulatoryReport:
    """The stage's report drafted from the incident as it is now; preparing a stage again
    drafts it afresh as its next version (the earlier ones stay)."""
    check_stage(stage)
    report = regulatory_queries.find_report(incident, stage)
    if report is None:
        report = RegulatoryReport.objects.create(
            incident=incident, stage=stage, created_at=clock.now()
        )
    version = _save_version(person, report, regulatory_drafting.draft(incident, stage))
    record_audit(person, "regulatory_report.prepared", report, after={"version": version.number})
    return report


@transaction.atomic
def edit_sections(
    person: User, report: RegulatoryReport, changes: dict[str, str]
) -> RegulatoryReport:
    """Change some sections; the others keep their text. Saved as the next version."""
    unknown = sorted(set(changes) - set(SECTION_KEYS))
    if unknown:
        raise InvalidInput(_("Unknown section: %(keys)s.") % {"keys": ", ".join(unknown)})
    for key, text in changes.items():
        if len(text) > MAX_SECTION:
            raise InvalidInput(
                _("The section %(key)s is longer than %(max)s characters.")
                % {"key": key, "max": MAX_SECTION}
            )
    current = regulatory_queries.latest(report).sections
    version = _save_version(person, report, {**current, **changes})
    record_audit(
        person,
        "regulatory_report.edited",
        report,
        after={"version": version.number, "sections": sorted(changes)},
    )
    return report


@transaction.atomic
def record_submission(person: User, report: RegulatoryReport) -> RegulatoryReport:
    """Note that the report was submitted to the regulator now (again: the later time)."""
    before = {"submitted_at": report.submitted_at.isoformat() if report.submitted_at else None}
    report.submitted_at = clock.now()
    report.submitted_by = person
    report.save(update_fields=["submitted_at", "submitted_by"])
    record_audit(
        person,
        "regulatory_report.submitted",
        report,
        before=before,
        after={"submitted_at": report.submitted_at.isoformat()},
    )
    return report


def _save_version(
    person: User | None, report: RegulatoryReport, sections: dict[str, str]
) -> RegulatoryReportVersion:
    last = report.versions.select_for_update().order_by("-number").first()
    return RegulatoryReportVersion.objects.create(
        report=report,
        number=(last.number if last else 0) + 1,
        sections={key: sections.get(key, "") for key in SECTION_KEYS},
        created_at=clock.now(),
        created_by=person,
    )
