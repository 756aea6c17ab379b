"""Who may do what to retrospectives. Entry points call exactly one `access_*` function,
which fetches and authorises together (built on incidents.access.access_incident: whoever
may not read the incident may not read its retrospective)."""

from enum import StrEnum

from django.utils.translation import gettext as _

from kizuki.accounts.access import Requester, require_role
from kizuki.accounts.models import OrgRole, User
from kizuki.core.errors import NotAllowed
from kizuki.incidents import access as incident_access
from kizuki.incidents import queries as incidents
from kizuki.incidents.access import Need as IncidentNeed
from kizuki.incidents.models import Incident
from kizuki.retros import queries
from kizuki.retros.models import Retrospective

COMMANDER = "incident_commander"


class Need(StrEnum):
    """What the caller is about to do with a retrospective."""

    READ = "read"  # the document, its versions, reviews and comments
    REVIEW = "review"  # approve or comment, comment on sections: anyone who may read it
    EDIT = "edit"  # text, owner, due date, moves, asking for reviews: responders, its owner


def access_retrospective(
    user: Requester | None, incident_ref: str | int, need: Need = Need.READ
) -> tuple[User, Retrospective]:
    """The started retrospective of incident `INC-3` and the person, if they may do `need`
    to it; NotFound when the incident has none yet."""
    person, incident = incident_access.access_incident(user, incident_ref, IncidentNeed.READ)
    retro = queries.get_retrospective(incident)
    check_retrospective(person, retro, need)
    return person, retro


def check_retrospective(person: User, retro: Retrospective, need: Need) -> None:
    """For a retrospective already fetched (pages use it through core.access.allows)."""
    if need == Need.EDIT and not (
        person.has_org_role(OrgRole.RESPONDER) or retro.owner_id == person.pk
    ):
        raise NotAllowed(_("Only responders and its owner can change this retrospective."))


def access_incident_for_reading(
    user: Requester | None, incident_ref: str | int
) -> tuple[User, Incident]:
    """An incident whose retrospective (or its requirement) someone wants to read."""
    return incident_access.access_incident(user, incident_ref, IncidentNeed.READ)


def access_start(user: Requester | None, incident_ref: str | int) -> tuple[User, Incident]:
    """Starting an incident's retrospective: responders."""
    return incident_access.access_incident(user, incident_ref, IncidentNeed.RESPOND)


def access_requirement(user: Requester | None, incident_ref: str | int) -> tuple[User, Incident]:
    """Requiring a retrospective or recording that none is needed: the commander decides.
    While the incident has an incident commander, only they (or an admin) may; without one,
    any responder."""
    person, incident = incident_access.access_incident(user, incident_ref, IncidentNeed.RESPOND)
    check_requirement(person, incident)
    return person, incident


def check_requirement(person: User, incident: Incident) -> None:
    require_role(person, OrgRole.RESPONDER)
    if person.has_org_role(OrgRole.ADMIN):
        return
    commanders = [a.user_id for a in incidents.active_roles(incident) if a.role.slug == COMMANDER]
    if commanders and person.pk not in commanders:
        raise NotAllowed(
            _("Only the incident commander decides whether %(ref)s needs a retrospective.")
            % {"ref": incident.ref}
        )


def can_read(user: Requester | None) -> User:
    return require_role(user, OrgRole.VIEWER)


def can_manage_templates(user: Requester | None) -> User:
    return require_role(user, OrgRole.ADMIN)


def can_set_policy(user: Requester | None) -> User:
    return require_role(user, OrgRole.ADMIN)
