"""Who may read and change the service catalogue. Entry points call exactly one of these."""

from typing import Any

from django.utils.translation import gettext as _

from kizuki.accounts.access import require_role
from kizuki.accounts.models import Membership, OrgRole, Team, User
from kizuki.catalog.models import Service
from kizuki.core.errors import NotAllowed


def can_read(user: Any) -> User:
    return require_role(user, OrgRole.VIEWER)


def can_create_service(user: Any) -> User:
    return require_role(user, OrgRole.ADMIN)


def can_change_service(user: Any, service: Service, new_team: Team | None = None) -> User:
    """A service's settings, integrations and routing rules: admins, and leads of the owning
    team (who know who should be woken for it); moving it to another team needs a lead of
    that team too."""
    person = require_role(user, OrgRole.RESPONDER)
    if person.has_org_role(OrgRole.ADMIN):
        return person
    teams = {service.team_id, new_team.pk if new_team else service.team_id}
    leads = Membership.objects.filter(user=person, team_id__in=teams, is_lead=True)
    if leads.count() == len(teams):
        return person
    raise NotAllowed(_("Only admins and leads of the owning team may change this service."))
