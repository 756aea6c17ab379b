"""Who may read formations and change an incident's positions and checklists. Entry points
call exactly one of these: the `access_*` functions fetch and authorise in one call."""

from kizuki.accounts.access import Requester, require_role
from kizuki.accounts.models import OrgRole, User
from kizuki.formations import queries
from kizuki.formations.models import IncidentChecklistItem
from kizuki.incidents import access as incident_access
from kizuki.incidents.access import Need
from kizuki.incidents.models import Incident


def can_read(user: Requester | None) -> User:
    """Everyone with a role reads the formations and checklist templates."""
    return require_role(user, OrgRole.VIEWER)


def check_change(person: User, incident: Incident) -> None:
    """Filling positions and ticking items: whoever may respond to the incident (as with its
    roles: the commander and the other responders)."""
    incident_access.check_incident(person, incident, Need.RESPOND)


def access_position(
    user: Requester | None, ref: str | int, position_id: int
) -> tuple[User, Incident, queries.Filled]:
    """A position on the incident `ref`, for filling it."""
    person, incident = incident_access.access_incident(user, ref, Need.RESPOND)
    return person, incident, queries.get_position(incident, position_id)


def access_item(
    user: Requester | None, ref: str | int, checklist_id: int, item_id: int
) -> tuple[User, Incident, IncidentChecklistItem]:
    """An item of a checklist on the incident `ref`, for ticking it."""
    person, incident = incident_access.access_incident(user, ref, Need.RESPOND)
    return person, incident, queries.get_item(incident, checklist_id, item_id)
