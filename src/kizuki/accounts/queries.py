from django.db.models import QuerySet
from django.utils.translation import gettext as _

from kizuki.accounts.actions import token_digest
from kizuki.accounts.models import ApiToken, Team, User
from kizuki.core import clock
from kizuki.core.errors import InvalidInput, NotFound


def token_for_secret(secret: str) -> ApiToken | None:
    """The token with this secret, whatever its state (the caller says why it is refused)."""
    return ApiToken.objects.select_related("user").filter(digest=token_digest(secret)).first()


def token_is_usable(token: ApiToken) -> bool:
    return (
        token.revoked_at is None
        and (token.expires_at is None or token.expires_at > clock.now())
        and token.user.is_active
    )


def user_for_token(secret: str) -> User | None:
    token = token_for_secret(secret)
    return token.user if token is not None and token_is_usable(token) else None


def tokens_of(user: User) -> QuerySet[ApiToken]:
    """Every token of this person, newest first, revoked and expired ones included."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-pk")


def token_state(token: ApiToken) -> str:
    if token.revoked_at is not None:
        return "revoked"
    if token.expires_at is not None and token.expires_at <= clock.now():
        return "expired"
    return "active"


def get_token(token_id: int) -> ApiToken:
    try:
        return ApiToken.objects.select_related("user").get(pk=token_id)
    except ApiToken.DoesNotExist:
        raise NotFound(_("No API token %(id)s.") % {"id": token_id}) from None


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


def all_tokens() -> list[ApiToken]:
    """Everyone's tokens, for the operator's command line: by person, newest first."""
    return list(
        ApiToken.objects.select_related("user").order_by("user__username", "-created_at", "-pk")
    )
