"""Who may do what to incidents. Entry points call exactly one of these before acting: the
`access_*` functions fetch and authorise in one call, so a check cannot be skipped or come
after the work it guards."""

from enum import StrEnum

from django.utils.translation import gettext as _

from kizuki.accounts.access import Requester, require_role
from kizuki.accounts.models import OrgRole, User
from kizuki.core.errors import NotAllowed, NotFound
from kizuki.incidents import queries
from kizuki.incidents.models import Incident, TimelineEntry
from kizuki.incidents.visibility import (
    Viewer,
    can_see,
    hidden_incidents,
    visible_incidents,
    visible_q,
)

# The one visibility rule lives in incidents.visibility; other apps reach it from here.
__all__ = ["Viewer", "can_see", "hidden_incidents", "visible_incidents", "visible_q"]


class Need(StrEnum):
    """What the caller is about to do with an incident."""

    READ = "read"
    RESPOND = "respond"  # change it: status, roles, fields, status updates
    NOTE = "note"  # add to (or change one's own notes on) its timeline


def access_incident(
    user: Requester | None, ref: str | int, need: Need = Need.READ
) -> tuple[User, Incident]:
    """The incident `INC-3` (or `3`) and the person, if they may do `need` to it; raises
    NotAllowed before looking anything up for someone with no role at all, then NotFound —
    also for a private incident the person may not see, worded as for a missing one."""
    person = require_role(user, OrgRole.VIEWER)
    incident = queries.get_incident(ref)
    check_incident(person, incident, need)
    return person, incident


def access_privacy(user: Requester | None, ref: str | int) -> tuple[User, Incident]:
    """Making an incident private or public, and choosing its participants: its commander
    or an admin."""
    person, incident = access_incident(user, ref, Need.RESPOND)
    check_privacy(person, incident)
    return person, incident


def check_privacy(person: User, incident: Incident) -> None:
    """For an incident already fetched: may the person change who sees it (the page asks)."""
    require_role(person, OrgRole.RESPONDER)
    if not person.has_org_role(OrgRole.ADMIN) and queries.commander(incident) != person:
        raise NotAllowed(_("Only the incident commander or an admin can change who sees it."))


def check_incident(person: User, incident: Incident, need: Need) -> None:
    """For an incident already fetched through access_incident (pages use it, through
    core.access.allows, to show only what the person may do), or reached through another
    app's object (a report, a follow-up): a private incident the person may not see is
    NotFound, worded as a missing one."""
    if not can_see(person, incident):
        raise NotFound(_("No incident %(ref)s.") % {"ref": incident.ref})
    if need == Need.RESPOND:
        require_role(person, OrgRole.RESPONDER)
    elif need == Need.NOTE and not _on_incident(person, incident):
        raise NotAllowed(_("Only responders and people on this incident can add to its timeline."))


def access_timeline_entry(
    user: Requester | None, ref: str | int, entry_id: int
) -> tuple[User, TimelineEntry]:
    """A note on the incident's timeline, for changing or removing it: responders change any
    note; others on the incident only their own."""
    person, incident = access_incident(user, ref, Need.NOTE)
    entry = queries.get_timeline_entry(incident, entry_id)
    if person.has_org_role(OrgRole.RESPONDER) or entry.author_id == person.pk:
        return person, entry
    raise NotAllowed(_("Only responders and the author can change this note."))


def can_read(user: Requester | None) -> User:
    return require_role(user, OrgRole.VIEWER)


def can_report(user: Requester | None, severity: int | None = None) -> User:
    """Anyone may report; declaring with a severity at once needs a responder."""
    if severity is not None:
        return require_role(user, OrgRole.RESPONDER)
    return require_role(user, OrgRole.VIEWER)


def can_respond(user: Requester | None) -> User:
    return require_role(user, OrgRole.RESPONDER)


def can_configure(user: Requester | None) -> User:
    return require_role(user, OrgRole.ADMIN)


def _on_incident(person: User, incident: Incident) -> bool:
    """Responders, and anyone on the incident: its reporter or a role holder."""
    if person.has_org_role(OrgRole.RESPONDER) or incident.reporter_id == person.pk:
        return True
    return incident.role_assignments.filter(user=person, released_at__isnull=True).exists()
