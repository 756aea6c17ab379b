from django.utils.translation import gettext as _

from kizuki.accounts.actions import token_digest
from kizuki.accounts.models import ApiToken, Team, User
from kizuki.core.errors import InvalidInput


def user_for_token(secret: str) -> User | None:
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=token_digest(secret), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    return token.user if token else None


def get_user(username: str) -> User:
    try:
        return User.objects.get(username=username, is_active=True)
    except User.DoesNotExist:
        raise InvalidInput(_("Unknown user %(username)s.") % {"username": username}) from None


def active_user_by_email(address: str) -> User | None:
    """The active user with this e-mail address, compared case-insensitively; when several
    share it, the oldest account."""
    if not address:
        return None
    return User.objects.filter(email__iexact=address, is_active=True).order_by("pk").first()


def active_users() -> list[User]:
    return list(User.objects.filter(is_active=True).order_by("username"))


def get_team(slug: str) -> Team:
    try:
        return Team.objects.get(slug=slug)
    except Team.DoesNotExist:
        raise InvalidInput(_("Unknown team %(team)s.") % {"team": slug}) from None


def all_teams() -> list[Team]:
    return list(Team.objects.all())
