"""A risk's history in the reader's language (entries are stored as an event and values)."""

from typing import Any

from django.utils.translation import gettext as _

from kizuki.risks.models import Change, Likelihood, Status

SECTION_NAMES = {
    "title": lambda: _("title"),
    "summary": lambda: _("summary"),
    "noticed": lambda: _("how it was noticed"),
    "cause": lambda: _("cause"),
    "plan": lambda: _("countermeasure plan"),
    "countermeasures": lambda: _("countermeasure log"),
    "next_action": lambda: _("next action"),
    "owner": lambda: _("owner"),
    "services": lambda: _("services"),
    "incidents": lambda: _("incidents"),
}


def _impact(value: Any) -> str:
    return _("unknown") if value is None else str(value)


def _status(value: Any) -> str:
    return str(Status(value).label) if value in Status.values else str(value)


def _likelihood(value: Any) -> str:
    return str(Likelihood(value).label) if value in Likelihood.values else str(value)


def _day(value: Any) -> str:
    return str(value) if value else _("none")


def describe(change: Change) -> str:
    values = {"from": change.previous, "to": change.value}
    if change.event == "created":
        return _("Recorded.")
    if change.event == "status":
        values = {"from": _status(change.previous), "to": _status(change.value)}
        return _("Status: %(from)s → %(to)s") % values
    if change.event == "current_impact":
        values = {"from": _impact(change.previous), "to": _impact(change.value)}
        return _("Current impact: %(from)s → %(to)s") % values
    if change.event == "potential_impact":
        values = {"from": _impact(change.previous), "to": _impact(change.value)}
        return _("Potential impact: %(from)s → %(to)s") % values
    if change.event == "likelihood":
        values = {"from": _likelihood(change.previous), "to": _likelihood(change.value)}
        return _("Likelihood: %(from)s → %(to)s") % values
    if change.event == "next_visit":
        values = {"from": _day(change.previous), "to": _day(change.value)}
        return _("Next visit: %(from)s → %(to)s") % values
    if change.event == "visit":
        return _("Visited; next visit %(to)s.") % {"to": _day(change.value)}
    if change.event == "edited":
        names = [SECTION_NAMES[f]() if f in SECTION_NAMES else f for f in change.value or []]
        return _("Edited: %(fields)s") % {"fields": _(", ").join(names)}
    return change.event


def is_step_down(change: Change) -> bool:
    """An impact that went down (an interim measure that worked shows as a step down)."""
    return (
        change.event in ("current_impact", "potential_impact")
        and isinstance(change.previous, int)
        and isinstance(change.value, int)
        and change.value < change.previous
    )
