"""Who may see and change notification rules: each person their own, admins anyone's
(rules hold private contact addresses, so responders do not read each other's). The
`access_*` functions fetch and authorise in one call."""

from django.utils.translation import gettext as _

from kizuki.accounts.access import Requester, require_role
from kizuki.accounts.models import OrgRole, User
from kizuki.core.errors import NotAllowed
from kizuki.notify import queries
from kizuki.notify.models import NotificationRule


def access_rules_of(user: Requester | None, username: str) -> tuple[User, User]:
    """Who asks, and the person whose rules they are."""
    actor = require_role(user, OrgRole.VIEWER)
    if actor.username != username and not actor.has_org_role(OrgRole.ADMIN):
        raise NotAllowed(_("You may only manage your own notification rules."))
    return actor, queries.get_person(username)


def access_rule(
    user: Requester | None, username: str, rule_id: int
) -> tuple[User, NotificationRule]:
    actor, person = access_rules_of(user, username)
    return actor, queries.get_rule(person, rule_id)
