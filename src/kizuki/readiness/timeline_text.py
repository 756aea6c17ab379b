"""The timeline entries the readiness app writes (break reminders with the hand-off proposal,
the incident's work list), in the reader's language. Registered with incidents.timeline_text
from ReadinessConfig.ready()."""

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from kizuki.accounts.models import User


def _name(username: object) -> str:
    user = User.objects.filter(username=str(username)).first() if username else None
    return (user.get_full_name() or user.username) if user else str(username or "")


def _list(names: object) -> str:
    items = names if isinstance(names, list) else []
    return pgettext("list separator", ", ").join(_name(name) for name in items)


def break_reminder(data: dict[str, Any]) -> str:
    minutes = int(data.get("minutes") or 0)
    values = {
        "hours": minutes // 60,
        "minutes": minutes % 60,
        "people": _list(data.get("reminded")),
    }
    text = (
        _(
            "Running for %(hours)s h %(minutes)02d min: %(people)s reminded to take a break"
            " and a meal."
        )
        % values
    )
    if data.get("proposed"):
        proposal = {"user": _name(data["proposed"])}
        if data.get("source") == "area":
            more = _("Proposed hand-off of the commander role: %(user)s (system area).") % proposal
        else:
            more = _("Proposed hand-off of the commander role: %(user)s (on call).") % proposal
        text = f"{text} {more}"
    return text


def added(data: dict[str, Any]) -> str:
    values = {"text": data.get("text", "")}
    if data.get("today"):
        return _("Must be done today: %(text)s") % values
    return _("Work item added: %(text)s") % values


def today(data: dict[str, Any]) -> str:
    values = {"text": data.get("text", "")}
    if data.get("today"):
        return _("Now must be done today: %(text)s") % values
    return _("No longer for today: %(text)s") % values


def done(data: dict[str, Any]) -> str:
    values = {"text": data.get("text", "")}
    if data.get("done"):
        return _("Done: %(text)s") % values
    return _("Reopened: %(text)s") % values


def moved(data: dict[str, Any]) -> str:
    items = data.get("items") if isinstance(data.get("items"), list) else []
    values = {
        "items": pgettext("list separator", "; ").join(str(item) for item in items or []),
        "due": data.get("due_date") or "",
    }
    if data.get("due_date"):
        return _("Moved to follow-ups, due %(due)s: %(items)s") % values
    return _("Moved to follow-ups: %(items)s") % values
