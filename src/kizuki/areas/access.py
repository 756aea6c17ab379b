"""Who may read and change response areas, absences and an incident's area leads. Entry points
call exactly one of these: the `access_*` functions fetch and authorise in one call."""

from enum import StrEnum

from django.utils.translation import gettext as _

from kizuki.accounts.access import Requester, require_role
from kizuki.accounts.models import OrgRole, User
from kizuki.areas import queries
from kizuki.areas.models import Absence, AreaLead, ResponseArea
from kizuki.core.errors import NotAllowed
from kizuki.incidents import access as incident_access
from kizuki.incidents import queries as incident_queries
from kizuki.incidents.models import Incident


class Need(StrEnum):
    READ = "read"
    CHANGE = "change"


def can_read(user: Requester | None) -> User:
    """Everyone with a role reads the areas, their chains and absences (whom to call)."""
    return require_role(user, OrgRole.VIEWER)


def can_manage(user: Requester | None) -> User:
    """Creating and changing areas: admins."""
    return require_role(user, OrgRole.ADMIN)


def access_area(
    user: Requester | None, area_id: int, need: Need = Need.READ
) -> tuple[User, ResponseArea]:
    person = require_role(user, OrgRole.VIEWER)
    if need == Need.CHANGE:
        require_role(person, OrgRole.ADMIN)
    return person, queries.get_area(area_id)


def check_absence_for(person: User, absentee: User) -> None:
    """A person records and removes their own absences; admins anyone's."""
    if absentee.pk != person.pk and not person.has_org_role(OrgRole.ADMIN):
        raise NotAllowed(_("Only admins may record someone else's absence."))


def can_add_absence(user: Requester | None, absentee_name: str | None) -> tuple[User, User]:
    """The person acting and the person away (themselves when no name is given)."""
    person = require_role(user, OrgRole.VIEWER)
    if not absentee_name or absentee_name == person.username:
        return person, person
    if not person.has_org_role(OrgRole.ADMIN):
        raise NotAllowed(_("Only admins may record someone else's absence."))
    return person, queries.get_person(absentee_name)


def access_absence(
    user: Requester | None, absence_id: int, need: Need = Need.READ
) -> tuple[User, Absence]:
    person = require_role(user, OrgRole.VIEWER)
    absence = queries.get_absence(absence_id)
    if need == Need.CHANGE:
        check_absence_for(person, absence.user)
    return person, absence


def check_lead_change(person: User, incident: Incident) -> None:
    """Changing an area's lead on an incident: its commander and admins; while nobody
    commands it, any responder."""
    if person.has_org_role(OrgRole.ADMIN):
        return
    require_role(person, OrgRole.RESPONDER)
    commander = incident_queries.commander(incident)
    if commander is not None and commander.pk != person.pk:
        raise NotAllowed(_("Only the incident's commander and admins may change area leads."))


def access_area_lead(user: Requester | None, ref: str | int, area_id: int) -> tuple[User, AreaLead]:
    """An area's lead on the incident `ref`, for changing it."""
    person, incident = incident_access.access_incident(user, ref)
    check_lead_change(person, incident)
    return person, queries.get_area_lead(incident, area_id)
