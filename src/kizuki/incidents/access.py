"""Who may do what to incidents. Entry points call exactly one of these before acting: the
`access_*` functions fetch and authorise in one call, so a check cannot be skipped or come
after the work it guards."""

from enum import StrEnum

from django.utils.translation import gettext as _

from kizuki.accounts.access import Requester, require_role
from kizuki.accounts.models import OrgRole, User
from kizuki.core.errors import NotAllowed
from kizuki.incidents import queries
from kizuki.incidents.models import Incident, TimelineEntry


class Need(StrEnum):
    """What the caller is about to do with an incident."""

    READ = "read"
    RESPOND = "respond"  # change it: status, roles, fields, status updates
    NOTE = "note"  # add to (or change one's own notes on) its timeline


def access_incident(
    user: Requester | None, ref: str | int, need: Need = Need.READ
) -> tuple[User, Incident]:
    """The incident `INC-3` (or `3`) and the person, if they may do `need` to it; raises
    NotAllowed before looking anything up for someone with no role at all, then NotFound."""
    person = require_role(user, OrgRole.VIEWER)
    incident = queries.get_incident(ref)
    check_incident(person, incident, need)
    return person, incident


def check_incident(person: User, incident: Incident, need: Need) -> None:
    """For an incident already fetched through access_incident (pages use it, through
    core.access.allows, to show only what the person may do)."""
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
