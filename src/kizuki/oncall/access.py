"""Who may read and change escalation policies. Entry points call one of these first."""

from typing import Any

from django.utils.translation import gettext as _

from kizuki.accounts.access import require_role
from kizuki.accounts.models import Membership, OrgRole, Team, User
from kizuki.core.errors import NotAllowed


def can_read_policies(user: Any) -> User:
    return require_role(user, OrgRole.VIEWER)


def can_edit_policies(user: Any) -> User:
    """The first gate, before looking anything up: viewers never change policies."""
    return require_role(user, OrgRole.RESPONDER)


def can_manage_policy(user: Any, *teams: Team | None) -> User:
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


def can_send_test_page(user: Any, username: str) -> User:
    """Anyone may test their own notification rules; admins may test anyone's."""
    person = require_role(user, OrgRole.VIEWER)
    if person.username == username or person.has_org_role(OrgRole.ADMIN):
        return person
    raise NotAllowed(_("You may only send test notifications to yourself."))
