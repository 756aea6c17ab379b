"""Who may do what to follow-ups. Entry points call exactly one `access_*` function, which
fetches and authorises together; built on incidents.access.access_incident, so whoever may not
read an incident may not read its follow-ups either."""

from enum import StrEnum

from django.utils.translation import gettext as _

from kizuki.accounts.access import Requester, require_role
from kizuki.accounts.models import OrgRole, User
from kizuki.core.errors import NotAllowed
from kizuki.followups import queries
from kizuki.followups.models import FollowUp
from kizuki.incidents import access as incident_access
from kizuki.incidents.access import Need as IncidentNeed
from kizuki.incidents.models import Incident


class Need(StrEnum):
    """What the caller is about to do with a follow-up."""

    READ = "read"
    CHANGE = "change"  # edit, move its status, export it: responders and its owner


def access_followup(
    user: Requester | None, followup_id: int, need: Need = Need.READ
) -> tuple[User, FollowUp]:
    """The follow-up and the person, if they may do `need` to it; refuses someone with no role
    at all before looking anything up, then NotFound."""
    person = require_role(user, OrgRole.VIEWER)
    followup = queries.get_followup(followup_id)
    incident_access.check_incident(person, followup.incident, IncidentNeed.READ)
    check_followup(person, followup, need)
    return person, followup


def check_followup(person: User, followup: FollowUp, need: Need) -> None:
    """For a follow-up already fetched (pages use it through core.access.allows)."""
    if need == Need.CHANGE and not (
        person.has_org_role(OrgRole.RESPONDER) or followup.owner_id == person.pk
    ):
        raise NotAllowed(_("Only responders and its owner can change this follow-up."))


def access_incident_followups(
    user: Requester | None, ref: str | int, need: Need = Need.READ
) -> tuple[User, Incident]:
    """An incident whose follow-ups someone reads (viewers) or adds to (responders)."""
    wanted = IncidentNeed.RESPOND if need == Need.CHANGE else IncidentNeed.READ
    return incident_access.access_incident(user, ref, wanted)


def can_read(user: Requester | None) -> User:
    return require_role(user, OrgRole.VIEWER)


def can_add(user: Requester | None) -> User:
    """Writing a follow-up (its incident is checked with access_incident_followups)."""
    return require_role(user, OrgRole.RESPONDER)


def can_manage_rules(user: Requester | None) -> User:
    """The quality rules are the organisation's: admins."""
    return require_role(user, OrgRole.ADMIN)


def can_configure_trackers(user: Requester | None) -> User:
    return require_role(user, OrgRole.ADMIN)
