"""Who may read and change the service catalogue. Entry points call exactly one of these:
`access_service` fetches and authorises in one call."""

from enum import StrEnum

from django.utils.translation import gettext as _

from kizuki.accounts.access import Requester, require_role
from kizuki.accounts.models import Membership, OrgRole, Team, User
from kizuki.catalog import queries
from kizuki.catalog.models import Service
from kizuki.core.errors import NotAllowed


class Need(StrEnum):
    READ = "read"
    CHANGE = "change"  # its settings, integrations and routing rules


def access_service(
    user: Requester | None, service_id: int, need: Need = Need.READ, new_team: Team | None = None
) -> tuple[User, Service]:
    """The service and the person, if they may do `need` to it (`new_team`: it moves there)."""
    person = require_role(user, OrgRole.VIEWER)
    service = queries.get_service(service_id)
    check_service(person, service, need, new_team)
    return person, service


def check_service(person: User, service: Service, need: Need, new_team: Team | None = None) -> None:
    """Changing a service: admins, and leads of the owning team (who know who should be woken
    for it); moving it to another team needs a lead of that team too."""
    if need == Need.READ:
        return
    require_role(person, OrgRole.RESPONDER)
    if person.has_org_role(OrgRole.ADMIN):
        return
    teams = {service.team_id, new_team.pk if new_team else service.team_id}
    leads = Membership.objects.filter(user=person, team_id__in=teams, is_lead=True)
    if leads.count() != len(teams):
        raise NotAllowed(_("Only admins and leads of the owning team may change this service."))


def can_read(user: Requester | None) -> User:
    return require_role(user, OrgRole.VIEWER)


def can_create_service(user: Requester | None) -> User:
    return require_role(user, OrgRole.ADMIN)
