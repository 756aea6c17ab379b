"""Who may read and change escalation policies. Entry points call one of these first:
`access_policy` fetches and authorises in one call."""

from enum import StrEnum

from django.utils.translation import gettext as _

from kizuki.accounts.access import Requester, require_role
from kizuki.accounts.models import Membership, OrgRole, Team, User
from kizuki.core.errors import NotAllowed
from kizuki.oncall import queries
from kizuki.oncall.models import EscalationPolicy


class Need(StrEnum):
    READ = "read"
    MANAGE = "manage"  # change or delete it


def access_policy(
    user: Requester | None, policy_id: int, need: Need = Need.READ
) -> tuple[User, EscalationPolicy]:
    person = require_role(user, OrgRole.VIEWER)
    if need == Need.MANAGE:
        can_edit_policies(person)
    policy = queries.get_policy(policy_id)
    if need == Need.MANAGE:
        can_manage_policy(person, policy.team)
    return person, policy


def can_read_policies(user: Requester | None) -> User:
    return require_role(user, OrgRole.VIEWER)


def can_edit_policies(user: Requester | None) -> User:
    """The first gate, before looking anything up: viewers never change policies."""
    return require_role(user, OrgRole.RESPONDER)


def can_manage_policy(user: Requester | None, *teams: Team | None) -> User:
    """Admins change any policy; a responder who leads a team changes that team's policies.
    Pass every team involved (the current owner and, on an edit, the new one)."""
    person = can_edit_policies(user)
    if person.has_org_role(OrgRole.ADMIN):
        return person
    if teams and all(
        team is not None
        and Membership.objects.filter(user=person, team=team, is_lead=True).exists()
        for team in teams
    ):
        return person
    raise NotAllowed(
        _("Only admins, and leads of the owning team, may change escalation policies.")
    )


def can_send_test_page(user: Requester | None, username: str) -> User:
    """Anyone may test their own notification rules; admins may test anyone's."""
    person = require_role(user, OrgRole.VIEWER)
    if person.username == username or person.has_org_role(OrgRole.ADMIN):
        return person
    raise NotAllowed(_("You may only send test notifications to yourself."))
