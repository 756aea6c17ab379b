"""Render automatic timeline entries in the reader's language."""

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kizuki.accounts.models import User
from kizuki.incidents import paging_text
from kizuki.incidents.lifecycle import TARGET_STATUS
from kizuki.incidents.models import EntryKind, Incident, RoleType, Status, TimelineEntry
from kizuki.notify.queries import method_label


def _role_name(slug: str) -> str:
    role = RoleType.objects.filter(slug=slug).first()
    return role.name if role else slug


def _person(name: object) -> str:
    """A stored username as people know them (the display name); other names (a chat
    channel, an integration that acted) as they are."""
    username = str(name or "")
    user = User.objects.filter(username=username).first() if username else None
    return (user.get_full_name() or username) if user else username


def _people(names: object) -> str:
    return ", ".join(_person(name) for name in names) if isinstance(names, list) else ""


# Higher apps (areas, formations, automation, ...) word their own entries: they register
# `event code -> describer(data) -> text` from AppConfig.ready() with register_text().
_registered: dict[str, Callable[[dict[str, Any]], str]] = {}


def register_text(event: str, describer: Callable[[dict[str, Any]], str]) -> None:
    """Word timeline entries of `event` with `describer` (called with the entry's data, in the
    reader's language). One describer per event code; registering again replaces it."""
    _registered[event] = describer


def is_registered(event: str) -> bool:
    return event in _registered


# Events whose wording needs nothing but their stored data.
PLAIN = {
    "reported": gettext_lazy("Incident reported."),
    "status_update": gettext_lazy("Status update: %(text)s"),
    "alert_linked": gettext_lazy("Opened from alert group %(group)s: %(title)s"),
    "escalated": gettext_lazy("Paging: escalation step %(step)s."),
    "page_sent": gettext_lazy("Paged %(user)s by %(method)s."),
    "page_failed": gettext_lazy("Could not page %(user)s by %(method)s: %(error)s"),
    "page_acknowledged": gettext_lazy("%(user)s acknowledged the page."),
    "made_private": gettext_lazy("Made private: only its participants and admins see it."),
    "made_public": gettext_lazy("Made public: everyone in the organisation sees it."),
    "participant_added": gettext_lazy("%(user)s added as a participant."),
    "participant_removed": gettext_lazy("%(user)s removed from the participants."),
}


def _field_name(name: str) -> str:
    fields = {f.name: f for f in (*Incident._meta.fields, *Incident._meta.many_to_many)}
    return str(fields[name].verbose_name) if name in fields else name


def describe(entry: TimelineEntry) -> str:
    if entry.kind == EntryKind.NOTE:
        return entry.text
    data = entry.data
    if entry.event == "status_update" and data.get("audience") == "stakeholders":
        return _("Status update for stakeholders: %(text)s") % {"text": data.get("text", "")}
    if entry.event in PLAIN:
        values = dict(data)
        if "user" in values:
            values["user"] = _person(values["user"])
        if "method" in values:
            values["method"] = method_label(str(values["method"]))
        return str(PLAIN[entry.event] % values)
    match entry.event:
        case "transition":
            text = _transition_text(data)
            if not data.get("note"):
                return text
            return _("%(change)s Note: %(note)s") % {"change": text, "note": data["note"]}
        case "severity":
            return _("Severity changed from %(previous)s to %(severity)s.") % {
                "previous": f"SEV{data['previous']}" if data.get("previous") else _("none"),
                "severity": f"SEV{data['severity']}" if data.get("severity") else _("none"),
            }
        case "edited":
            names = [_field_name(field) for field in data.get("fields", [])]
            return _("Details edited: %(fields)s.") % {"fields": ", ".join(names)}
        case "role_assigned":
            values = {"role": _role_name(data["role"]), "user": _person(data["user"])}
            if data.get("previous"):
                values["previous"] = _people(data["previous"])
                return _("%(role)s handed over from %(previous)s to %(user)s.") % values
            return _("%(user)s assigned as %(role)s.") % values
        case "role_released":
            return _("%(user)s released from %(role)s.") % {
                "role": _role_name(data["role"]),
                "user": _person(data["user"]),
            }
    # A higher app's entry; else whom mobilisation paged, or why nobody (else: its code).
    describer = _registered.get(entry.event)
    return describer(data) if describer else paging_text.describe(entry.event, data)


def _transition_text(data: dict[str, object]) -> str:
    to = str(data["to"])
    if to == "declared":
        return _("Declared as SEV%(level)s.") % {"level": data.get("severity")}
    if to == "reopened":
        return _("Reopened.")
    return _("Status changed to %(status)s.") % {"status": Status(TARGET_STATUS[to]).label}
