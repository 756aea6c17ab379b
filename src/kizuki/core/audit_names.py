"""Readable names for audit log actions ("alert_group.acknowledge" → "Alert group:
acknowledged"), for the admin's audit log. An action not listed here reads as its words."""

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

OBJECTS: dict[str, Promise] = {
    "alert": pgettext_lazy("audit object", "Alert"),
    "alert_group": pgettext_lazy("audit object", "Alert group"),
    "calendar": pgettext_lazy("audit object", "Calendar feed"),
    "escalation_policy": pgettext_lazy("audit object", "Escalation policy"),
    "followup": pgettext_lazy("audit object", "Follow-up"),
    "incident": pgettext_lazy("audit object", "Incident"),
    "integration": pgettext_lazy("audit object", "Integration"),
    "notification": pgettext_lazy("audit object", "Notification"),
    "notification_rule": pgettext_lazy("audit object", "Notification rule"),
    "paging_settings": pgettext_lazy("audit object", "Paging settings"),
    "retro_policy": pgettext_lazy("audit object", "Retrospective policy"),
    "retro_template": pgettext_lazy("audit object", "Retrospective template"),
    "retrospective": pgettext_lazy("audit object", "Retrospective"),
    "routing_rule": pgettext_lazy("audit object", "Routing rule"),
    "schedule": pgettext_lazy("audit object", "Schedule"),
    "service": pgettext_lazy("audit object", "Service"),
    "severity": pgettext_lazy("audit object", "Severity"),
    "subscription": pgettext_lazy("audit object", "Stakeholder subscription"),
    "team": pgettext_lazy("audit object", "Team"),
    "timeline": pgettext_lazy("audit object", "Timeline"),
    "token": pgettext_lazy("audit object", "API token"),
    "user": pgettext_lazy("audit object", "User"),
}

VERBS: dict[str, Promise] = {
    "accept_draft": pgettext_lazy("audit action", "draft accepted"),
    "acknowledge": pgettext_lazy("audit action", "acknowledged"),
    "add": pgettext_lazy("audit action", "added"),
    "add_member": pgettext_lazy("audit action", "member added"),
    "assign_role": pgettext_lazy("audit action", "role assigned"),
    "comment": pgettext_lazy("audit action", "commented"),
    "confirm": pgettext_lazy("audit action", "confirmed"),
    "create": pgettext_lazy("audit action", "created"),
    "delete": pgettext_lazy("audit action", "deleted"),
    "edit": pgettext_lazy("audit action", "edited"),
    "export": pgettext_lazy("audit action", "exported"),
    "exported": pgettext_lazy("audit action", "exported"),
    "layers": pgettext_lazy("audit action", "layers changed"),
    "not_needed": pgettext_lazy("audit action", "marked as not needed"),
    "open": pgettext_lazy("audit action", "incident opened"),
    "override.add": pgettext_lazy("audit action", "override added"),
    "override.remove": pgettext_lazy("audit action", "override removed"),
    "release_role": pgettext_lazy("audit action", "role released"),
    "remove": pgettext_lazy("audit action", "removed"),
    "reorder": pgettext_lazy("audit action", "reordered"),
    "report": pgettext_lazy("audit action", "reported"),
    "request": pgettext_lazy("audit action", "requested"),
    "request_review": pgettext_lazy("audit action", "review requested"),
    "require": pgettext_lazy("audit action", "required"),
    "resolve": pgettext_lazy("audit action", "resolved"),
    "resolve_comment": pgettext_lazy("audit action", "comment resolved"),
    "resume": pgettext_lazy("audit action", "resumed"),
    "review": pgettext_lazy("audit action", "reviewed"),
    "revoke": pgettext_lazy("audit action", "revoked"),
    "rotate": pgettext_lazy("audit action", "address renewed"),
    "rule_create": pgettext_lazy("audit action", "rule created"),
    "rule_delete": pgettext_lazy("audit action", "rule deleted"),
    "rule_update": pgettext_lazy("audit action", "rule changed"),
    "set_language": pgettext_lazy("audit action", "language changed"),
    "set_password": pgettext_lazy("audit action", "password changed"),
    "silence": pgettext_lazy("audit action", "silenced"),
    "silence_ended": pgettext_lazy("audit action", "silence ended"),
    "sos": pgettext_lazy("audit action", "SOS raised"),
    "start": pgettext_lazy("audit action", "started"),
    "status_update": pgettext_lazy("audit action", "status update posted"),
    "team": pgettext_lazy("audit action", "team setting changed"),
    "test": pgettext_lazy("audit action", "test sent"),
    "tracker": pgettext_lazy("audit action", "tracker set"),
    "tracker_closed": pgettext_lazy("audit action", "closed in the tracker"),
    "tracker_remove": pgettext_lazy("audit action", "tracker removed"),
    "update": pgettext_lazy("audit action", "changed"),
}


def _words(code: str) -> str:
    return code.replace(".", " ").replace("_", " ")


def action_name(action: str) -> str:
    """The action in the reader's language; unknown parts as plain words."""
    thing, _dot, verb = action.partition(".")
    if not verb:
        return str(VERBS.get(thing, _words(thing)))
    return _("%(object)s: %(action)s") % {
        "object": OBJECTS.get(thing, _words(thing).capitalize()),
        "action": VERBS.get(verb, _words(verb)),
    }
