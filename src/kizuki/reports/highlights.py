"""The summary page's major incidents, risks opened and closed, and retrospective health per
team, as people read them (reports/_majors_risks.html)."""

from dataclasses import replace
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from kizuki.incidents.models import Status as IncidentStatus
from kizuki.reports import summary
from kizuki.reports.majors import MajorIncident
from kizuki.risks.models import Status as RiskStatus


def context(result: summary.Summary) -> dict[str, Any]:
    return {
        "majors": [_major(major) for major in result.major_incidents],
        "risks": _risks(result),
        "retrospectives": [
            {
                "label": health.label or _("No team"),
                "required": health.required,
                "held": health.held,
                "late": health.late,
            }
            for health in [
                *result.retrospectives_by_team,
                replace(result.retrospectives, label=_("All teams")),
            ]
        ],
    }


def _major(major: MajorIncident) -> dict[str, Any]:
    ttr = major.time_to_resolve
    return {
        "ref": major.ref,
        "title": major.title,
        "severity": f"SEV{major.severity_level}" if major.severity_level else "—",
        "team": major.team_name or _("No team"),
        "status": _label(IncidentStatus, major.status),
        "duration": summary.duration_text(None if ttr is None else ttr.total_seconds()),
        "regulatory": major.regulatory,
        "summary": major.summary,
    }


def _risks(result: summary.Summary) -> dict[str, Any] | None:
    health = result.risks
    if health is None:
        return None
    return {
        "opened": len(health.opened),
        "closed": len(health.closed),
        "open_at_end": health.open_at_end,
        "rows": [
            {
                "id": row.id,
                "ref": row.ref,
                "title": row.title,
                "priority": "—" if row.priority is None else row.priority,
                "status": _label(RiskStatus, row.status),
                "moves": moves,
            }
            for rows, moves in (
                (health.opened, pgettext("risk", "Opened")),
                (health.closed, pgettext("risk", "Closed")),
            )
            for row in rows
        ],
    }


def _label(choices: Any, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value
