"""The single checkpoint for organisation-role permissions."""

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext as _

from kizuki.accounts.models import OrgRole, User
from kizuki.core.errors import NotAllowed

# Who an entry point acts for: request.user, or the person a chat message came from.
Requester = User | AnonymousUser


def require_role(user: Requester | None, role: OrgRole) -> User:
    if not isinstance(user, User) or not user.has_org_role(role):
        raise NotAllowed(_("This needs the %(role)s role.") % {"role": OrgRole(role).label})
    return user
