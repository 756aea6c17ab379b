"""A follow-up's history in the reader's language (each change is stored as an event code and
its data, like the incident's automatic timeline entries)."""

from django.utils.translation import gettext as _

from kizuki.followups.models import Change, FollowUp, Status


def _field(name: str) -> str:
    fields = {f.name: f for f in FollowUp._meta.fields}
    if name == "milestones":
        return _("milestones")
    return str(fields[name].verbose_name) if name in fields else name


def _status(value: object) -> str:
    return str(Status(str(value)).label) if value in Status.values else str(value)


def describe(change: Change) -> str:
    data = change.data
    match change.event:
        case "created":
            if data.get("due_date"):
                return _("Written, due on %(due)s.") % {"due": data["due_date"]}
            return _("Written, with no due date.")
        case "edited":
            names = [_field(name) for name in data.get("fields", [])]
            return _("Edited: %(fields)s.") % {"fields": ", ".join(names)}
        case "due_date":
            return _("Due date moved from %(previous)s to %(due)s.") % {
                "previous": data.get("previous") or _("none"),
                "due": data.get("due_date") or _("none"),
            }
        case "status":
            values = {
                "previous": _status(data.get("previous")),
                "status": _status(data.get("status")),
            }
            if data.get("via") == "tracker":
                return _("The tracker's issue moved it from %(previous)s to %(status)s.") % values
            return _("Status changed from %(previous)s to %(status)s.") % values
        case "export_requested":
            return _("Asked for an issue in the team's tracker.")
        case "exported":
            return _("Issue %(issue)s created in the tracker.") % {"issue": data.get("issue", "")}
        case "export_failed":
            return _("The tracker refused the issue.")
    return change.event
