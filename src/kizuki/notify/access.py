"""Who may see and change notification rules: each person their own, admins anyone's
(rules hold private contact addresses, so responders do not read each other's)."""

from typing import Any

from django.utils.translation import gettext as _

from kizuki.accounts.access import require_role
from kizuki.accounts.models import OrgRole, User
from kizuki.core.errors import NotAllowed


def can_manage_rules(user: Any, username: str) -> User:
    person = require_role(user, OrgRole.VIEWER)
    if person.username == username or person.has_org_role(OrgRole.ADMIN):
        return person
    raise NotAllowed(_("You may only manage your own notification rules."))
