"""Who may read the readiness page and read-throughs, write read-throughs and the
break-reminder settings, and act on an incident's responders (hand-off, work list). Entry
points call exactly one of these."""

from django.utils.translation import gettext as _

from kizuki.accounts.access import Requester, require_role
from kizuki.accounts.models import OrgRole, User
from kizuki.core.errors import NotAllowed
from kizuki.incidents import access as incident_access
from kizuki.incidents import queries as incident_queries
from kizuki.incidents.models import Incident
from kizuki.readiness import care_queries, queries
from kizuki.readiness.models import ReadThrough, WorkItem


def can_read(user: Requester | None) -> User:
    """Everyone with a role reads the readiness page and the read-throughs."""
    return require_role(user, OrgRole.VIEWER)


def can_manage(user: Requester | None) -> User:
    """Writing read-throughs and break-reminder settings: admins."""
    return require_role(user, OrgRole.ADMIN)


def access_read_through(user: Requester | None, read_through_id: int) -> tuple[User, ReadThrough]:
    """Reading one, and marking it read: everyone with a role."""
    person = require_role(user, OrgRole.VIEWER)
    return person, queries.get_read_through(read_through_id)


def check_command(person: User, incident: Incident) -> None:
    """Handing over the commander role and keeping the work list: the incident's commander and
    admins; while nobody commands, any responder."""
    if person.has_org_role(OrgRole.ADMIN):
        return
    require_role(person, OrgRole.RESPONDER)
    commander = incident_queries.commander(incident)
    if commander is not None and commander.pk != person.pk:
        raise NotAllowed(_("Only the incident's commander and admins may do this."))


def access_command(user: Requester | None, ref: str | int) -> tuple[User, Incident]:
    person, incident = incident_access.access_incident(user, ref)
    check_command(person, incident)
    return person, incident


def access_work_item(user: Requester | None, ref: str | int, item_id: int) -> tuple[User, WorkItem]:
    person, incident = access_command(user, ref)
    return person, care_queries.get_work_item(incident, item_id)


def access_incident_read(user: Requester | None, ref: str | int) -> tuple[User, Incident]:
    """The incident's break reminders and work list: whoever may read the incident."""
    return incident_access.access_incident(user, ref)
