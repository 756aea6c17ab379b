"""The only write path for accounts: users, teams and API tokens."""

import hashlib
import secrets
from datetime import datetime, timedelta

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kizuki.accounts.models import ApiToken, Membership, OrgRole, Team, User
from kizuki.core import clock
from kizuki.core.actions import record_audit
from kizuki.core.errors import Conflict, InvalidInput

TOKEN_PREFIX = "kzk_"  # noqa: S105 - a public marker that makes leaked tokens greppable


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _check_role(role: str) -> OrgRole:
    if role not in OrgRole.values:
        raise InvalidInput(
            _("Unknown role %(role)s; use one of %(roles)s.")
            % {"role": role, "roles": ", ".join(OrgRole.values)}
        )
    return OrgRole(role)


@transaction.atomic
def create_user(
    username: str,
    role: str,
    *,
    password: str | None = None,
    email: str = "",
    display_name: str = "",
    actor: User | None = None,
) -> User:
    org_role = _check_role(role)
    if not username.strip():
        raise InvalidInput(_("A username is required."))
    if User.objects.filter(username=username).exists():
        raise Conflict(_("User %(username)s already exists.") % {"username": username})
    user = User(
        username=username,
        email=email,
        first_name=display_name,
        org_role=org_role,
        is_staff=org_role == OrgRole.ADMIN,
        is_superuser=org_role == OrgRole.ADMIN,
    )
    if password:
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise InvalidInput(" ".join(error.messages)) from error
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    record_audit(actor, "user.create", user, after={"username": username, "org_role": org_role})
    return user


@transaction.atomic
def set_password(user: User, password: str, actor: User | None = None) -> None:
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise InvalidInput(" ".join(error.messages)) from error
    user.set_password(password)
    user.save(update_fields=["password"])
    record_audit(actor, "user.set_password", user)


@transaction.atomic
def set_language(user: User, language: str) -> None:
    if language not in {"ja", "en", ""}:
        raise InvalidInput(_("Unknown language %(language)s.") % {"language": language})
    before = user.language
    user.language = language
    user.save(update_fields=["language"])
    record_audit(
        user, "user.set_language", user, before={"language": before}, after={"language": language}
    )


@transaction.atomic
def create_team(slug: str, name: str, actor: User | None = None) -> Team:
    team, created = Team.objects.get_or_create(slug=slug, defaults={"name": name})
    if created:
        record_audit(actor, "team.create", team, after={"slug": slug, "name": name})
    return team


@transaction.atomic
def add_member(
    team: Team, user: User, is_lead: bool = False, actor: User | None = None
) -> Membership:
    membership, created = Membership.objects.get_or_create(
        team=team, user=user, defaults={"is_lead": is_lead}
    )
    if created:
        record_audit(
            actor, "team.add_member", team, after={"user": user.username, "is_lead": is_lead}
        )
    return membership


MAX_TOKEN_NAME = 100


@transaction.atomic
def create_token(
    user: User,
    name: str = "",
    actor: User | None = None,
    *,
    expires_at: datetime | None = None,
) -> tuple[ApiToken, str]:
    """Returns the stored token and the secret, which is never retrievable again."""
    name = name.strip()
    if len(name) > MAX_TOKEN_NAME:
        raise InvalidInput(
            _("A token name has at most %(count)d characters.") % {"count": MAX_TOKEN_NAME}
        )
    now = clock.now()
    if expires_at is not None and expires_at <= now:
        raise InvalidInput(_("A token must expire in the future."))
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=secret[: len(TOKEN_PREFIX) + 6],
        digest=token_digest(secret),
        created_at=now,
        expires_at=expires_at,
    )
    record_audit(
        actor or user,
        "token.create",
        token,
        after={
            "user": user.username,
            "name": name,
            "expires_at": expires_at.isoformat() if expires_at else None,
        },
    )
    return token, secret


@transaction.atomic
def revoke_token(token: ApiToken, actor: User | None = None) -> ApiToken:
    """Stop a token working; revoking twice keeps the first time."""
    if token.revoked_at is None:
        token.revoked_at = clock.now()
        token.save(update_fields=["revoked_at"])
        record_audit(
            actor, "token.revoke", token, after={"user": token.user.username, "name": token.name}
        )
    return token


MAX_TOKEN_DAYS = 3650
# Writing last_used_at on every request would turn each API read into a write.
TOKEN_USE_PRECISION = timedelta(minutes=1)


def expiry_in_days(days: int) -> datetime:
    if not 1 <= days <= MAX_TOKEN_DAYS:
        raise InvalidInput(_("A token expires in 1 to %(days)d days.") % {"days": MAX_TOKEN_DAYS})
    return clock.now() + timedelta(days=days)


def note_token_use(token: ApiToken) -> None:
    """Remember when a token was last used, to the minute."""
    now = clock.now()
    if token.last_used_at is None or now - token.last_used_at >= TOKEN_USE_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
