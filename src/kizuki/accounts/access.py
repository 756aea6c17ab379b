"""The single checkpoint for organisation-role permissions."""

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext as _

from kizuki.accounts.models import ApiToken, OrgRole, User
from kizuki.accounts.queries import get_token, get_user
from kizuki.core.errors import NotAllowed, NotFound

# Who an entry point acts for: request.user, or the person a chat message came from.
Requester = User | AnonymousUser


def require_role(user: Requester | None, role: OrgRole) -> User:
    if not isinstance(user, User) or not user.has_org_role(role):
        raise NotAllowed(_("This needs the %(role)s role.") % {"role": OrgRole(role).label})
    return user


def access_token(user: Requester | None, token_id: int) -> tuple[User, ApiToken]:
    """A person's own token; an admin may reach anyone's. Others' tokens are not found, so
    their ids reveal nothing."""
    requester = require_role(user, OrgRole.VIEWER)
    token = get_token(token_id)
    if token.user_id != requester.pk and not requester.has_org_role(OrgRole.ADMIN):
        raise NotFound(_("No API token %(id)s.") % {"id": token_id})
    return requester, token


def access_tokens_of(user: Requester | None, username: str = "") -> tuple[User, User]:
    """Whose tokens the requester may list or create: their own, or (admins) anyone's."""
    requester = require_role(user, OrgRole.VIEWER)
    if not username or username == requester.username:
        return requester, requester
    require_role(requester, OrgRole.ADMIN)
    return requester, get_user(username)
