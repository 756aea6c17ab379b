"""The single checkpoint for organisation-role permissions."""

from typing import Any

from django.utils.translation import gettext as _

from kizuki.accounts.models import OrgRole, User
from kizuki.core.errors import NotAllowed


def require_role(user: Any, role: OrgRole) -> User:
    if not isinstance(user, User) or not user.has_org_role(role):
        raise NotAllowed(_("This needs the %(role)s role.") % {"role": OrgRole(role).label})
    return user
