"""Who may do what to incidents. Entry points call exactly one of these before acting."""

from typing import Any

from django.utils.translation import gettext as _

from kizuki.accounts.access import require_role
from kizuki.accounts.models import OrgRole, User
from kizuki.core.errors import NotAllowed
from kizuki.incidents.models import Incident, TimelineEntry


def can_read(user: Any) -> User:
    return require_role(user, OrgRole.VIEWER)


def can_report(user: Any, severity: int | None = None) -> User:
    """Anyone may report; declaring with a severity at once needs a responder."""
    if severity is not None:
        return require_role(user, OrgRole.RESPONDER)
    return require_role(user, OrgRole.VIEWER)


def can_respond(user: Any) -> User:
    return require_role(user, OrgRole.RESPONDER)


def can_configure(user: Any) -> User:
    return require_role(user, OrgRole.ADMIN)


def can_add_to_timeline(user: Any, incident: Incident) -> User:
    """Responders, and anyone on the incident: its reporter or a role holder."""
    viewer = require_role(user, OrgRole.VIEWER)
    if viewer.has_org_role(OrgRole.RESPONDER) or incident.reporter_id == viewer.pk:
        return viewer
    if incident.role_assignments.filter(user=viewer, released_at__isnull=True).exists():
        return viewer
    raise NotAllowed(_("Only responders and people on this incident can add to its timeline."))


def can_change_note(user: Any, entry: TimelineEntry) -> User:
    """Responders change any note; others (already allowed on the timeline) only their own."""
    person = require_role(user, OrgRole.VIEWER)
    if person.has_org_role(OrgRole.RESPONDER) or entry.author_id == person.pk:
        return person
    raise NotAllowed(_("Only responders and the author can change this note."))
