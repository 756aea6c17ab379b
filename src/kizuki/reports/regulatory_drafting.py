"""The first draft of a regulator-ready report, written from what Kizuki already knows: the
incident's milestones and impact fields, the notes on its timeline, and (for the interim and
final reports) the cause and prevention sections of its retrospective. Plain text, in the
language of whoever prepares it; people edit it before it goes out."""

from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from kizuki.incidents import queries as incidents
from kizuki.incidents.models import Incident
from kizuki.reports.models import SECTION_KEYS, Stage
from kizuki.retros import queries as retros
from kizuki.retros.models import Purpose

HIGHLIGHTS = 10  # timeline notes quoted in "Response": enough to tell the story


def when(moment: datetime | None) -> str:
    """In the organisation's time zone, named: regulators read local times."""
    if moment is None:
        return "-"
    local = timezone.localtime(moment)
    return f"{local:%Y-%m-%d %H:%M} {local.tzname()}"


def draft(incident: Incident, stage: str) -> dict[str, str]:
    """Every section's starting text for `stage` of the incident's report."""
    sections = {
        "what_happened": _what_happened(incident),
        "detection": _detection(incident),
        "impact": _impact(incident),
        "cause": "",
        "response": _response(incident),
        "recovery": _recovery(incident),
        "prevention": "",
    }
    if stage != Stage.INITIAL:  # the retrospective's findings come after the first report
        sections["cause"] = _from_retrospective(incident, Purpose.CAUSE)
        sections["prevention"] = _from_retrospective(incident, Purpose.PREVENTION)
    if not sections["cause"]:
        sections["cause"] = _("Under investigation.")
    if not sections["prevention"]:
        sections["prevention"] = _("To be decided once the cause is known.")
    return {key: sections[key] for key in SECTION_KEYS}


def _what_happened(incident: Incident) -> str:
    lines = [f"{incident.ref} {incident.title}"]
    if incident.severity:
        lines.append(_("Severity: %(severity)s") % {"severity": incident.severity.label})
    services = ", ".join(service.name for service in incident.services.all())
    if services:
        lines.append(_("Services: %(services)s") % {"services": services})
    if incident.description:
        lines += ["", incident.description]
    return "\n".join(lines)


def _detection(incident: Incident) -> str:
    return "\n".join(
        [
            _("Reported: %(at)s") % {"at": when(incident.reported_at)},
            _("Acknowledged: %(at)s") % {"at": when(incident.acknowledged_at)},
            _("Declared: %(at)s") % {"at": when(incident.declared_at)},
        ]
    )


def _impact(incident: Incident) -> str:
    lines = [
        _("Customers affected: %(text)s") % {"text": incident.customers_affected or "-"},
        _("Functions affected: %(text)s") % {"text": incident.functions_affected or "-"},
        _("Impact from %(start)s to %(end)s")
        % {"start": when(incident.impact_started_at), "end": when(incident.impact_ended_at)},
    ]
    if incident.impact_started_at and incident.impact_ended_at:
        minutes = int((incident.impact_ended_at - incident.impact_started_at).total_seconds() // 60)
        lines.append(_("Duration: %(minutes)s minutes") % {"minutes": minutes})
    if incident.secondary_damage:
        lines.append(_("Secondary damage: %(text)s") % {"text": incident.secondary_damage})
    return "\n".join(lines)


def _response(incident: Incident) -> str:
    notes = [entry for entry in incidents.timeline(incident) if entry.text][:HIGHLIGHTS]
    return "\n".join(f"- {when(entry.occurred_at)} {entry.text}" for entry in notes)


def _recovery(incident: Incident) -> str:
    return "\n".join(
        [
            _("Mitigated: %(at)s") % {"at": when(incident.mitigated_at)},
            _("Resolved: %(at)s") % {"at": when(incident.resolved_at)},
        ]
    )


def _from_retrospective(incident: Incident, purpose: str) -> str:
    retro = retros.find_retrospective(incident)
    if retro is None or not retro.started:
        return ""
    found = [s for s in retros.sections(retro) if s.purpose == purpose and s.body.strip()]
    return "\n\n".join(f"{s.title}\n{s.body.strip()}" for s in found)
