"""Which status an incident may move to from each status, and what each move stamps."""

from django.utils.translation import gettext_lazy as _

from kizuki.incidents.models import Status

# Transition names accepted by the API ("reopened" is a move, not a status).
TRANSITIONS = [
    "acknowledged",
    "declared",
    "mitigated",
    "resolved",
    "closed",
    "false_alarm",
    "reopened",
]

TRANSITION_LABELS = {
    "acknowledged": _("Acknowledge"),
    "declared": _("Declare"),
    "mitigated": _("Mark mitigated"),
    "resolved": _("Mark resolved"),
    "closed": _("Close"),
    "false_alarm": _("False alarm"),
    "reopened": _("Reopen"),
}

ALLOWED: dict[str, list[str]] = {
    Status.REPORTED: ["acknowledged", "declared", "false_alarm"],
    Status.ACKNOWLEDGED: ["declared", "false_alarm"],
    Status.DECLARED: ["mitigated", "resolved", "false_alarm"],
    Status.MITIGATED: ["resolved"],
    Status.RESOLVED: ["closed", "reopened"],
    Status.CLOSED: [],
    Status.FALSE_ALARM: [],
}

# The milestone each move stamps, plus earlier ones a skip implies (declaring acknowledges).
STAMPS: dict[str, list[str]] = {
    "acknowledged": ["acknowledged_at"],
    "declared": ["acknowledged_at", "declared_at"],
    "mitigated": ["mitigated_at"],
    "resolved": ["mitigated_at", "resolved_at"],
    "closed": ["closed_at"],
    "false_alarm": ["closed_at"],
    "reopened": [],
}

TARGET_STATUS = {
    "acknowledged": Status.ACKNOWLEDGED,
    "declared": Status.DECLARED,
    "mitigated": Status.MITIGATED,
    "resolved": Status.RESOLVED,
    "closed": Status.CLOSED,
    "false_alarm": Status.FALSE_ALARM,
    "reopened": Status.DECLARED,
}


def allowed_transitions(status: str) -> list[str]:
    return ALLOWED[status]
