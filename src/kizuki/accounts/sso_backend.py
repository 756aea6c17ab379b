"""Single sign-on through any OpenID Connect provider (mozilla-django-oidc does the protocol).

Kizuki adds: endpoints from the issuer's discovery document, checks of the id_token's issuer
and audience (the library checks only its signature, expiry and nonce), the person matched by
the provider's `sub`, and their role and teams from the groups claim on every login."""

from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from kizuki.accounts.models import User
from kizuki.accounts.oidc_provider import endpoints
from kizuki.accounts.sso_actions import SsoPerson, sign_in_with_sso


def _groups(claims: dict[str, Any]) -> frozenset[str]:
    value = claims.get(settings.KIZUKI_OIDC_GROUPS_CLAIM)
    if isinstance(value, str):
        # Some providers send one group, or several separated by spaces, as a string.
        return frozenset(value.split())
    if isinstance(value, list):
        return frozenset(str(group) for group in value)
    return frozenset()


def person_from_claims(claims: dict[str, Any]) -> SsoPerson:
    subject = str(claims.get("sub") or "")
    email = str(claims.get("email") or "")
    username = str(claims.get("preferred_username") or email or subject).strip()
    name = str(
        claims.get("name")
        or " ".join(str(claims.get(part) or "") for part in ("given_name", "family_name")).strip()
    )
    return SsoPerson(subject, username, email, name, _groups(claims))


class KizukiOIDCBackend(OIDCAuthenticationBackend):  # type: ignore[misc]
    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> User | None:
        # Django asks every backend about every login: a password login is not ours, and
        # must not wait for the provider.
        if request is None or "code" not in request.GET or "state" not in request.GET:
            return None
        where = endpoints()
        self.OIDC_OP_TOKEN_ENDPOINT = where.token
        self.OIDC_OP_USER_ENDPOINT = where.userinfo
        self.OIDC_OP_JWKS_ENDPOINT = where.jwks
        return super().authenticate(request, **kwargs)  # type: ignore[no-any-return]

    def verify_token(self, token: str, **kwargs: Any) -> dict[str, Any]:
        payload: dict[str, Any] = super().verify_token(token, **kwargs)
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if settings.OIDC_RP_CLIENT_ID not in audiences:
            msg = "The id_token was issued for another client."
            raise SuspiciousOperation(msg)
        issuer = settings.KIZUKI_OIDC_ISSUER
        if issuer and str(payload.get("iss", "")).rstrip("/") != issuer.rstrip("/"):
            msg = "The id_token comes from another issuer."
            raise SuspiciousOperation(msg)
        return payload

    def get_or_create_user(
        self, access_token: str, id_token: str, payload: dict[str, Any]
    ) -> User | None:
        userinfo = self.get_userinfo(access_token, id_token, payload)
        if userinfo.get("sub") != payload.get("sub"):
            msg = "The userinfo answer is about someone else than the id_token."
            raise SuspiciousOperation(msg)
        # Some providers (Entra ID) put groups in the id_token only: read both.
        person = person_from_claims({**payload, **userinfo})
        if not person.subject or not person.username:
            msg = "The provider sent no subject or username."
            raise SuspiciousOperation(msg)
        return sign_in_with_sso(
            person,
            role_map=settings.KIZUKI_OIDC_ROLE_MAP,
            team_map=settings.KIZUKI_OIDC_TEAM_MAP,
            default_role=settings.KIZUKI_OIDC_DEFAULT_ROLE,
        )

    def get_user(self, user_id: int) -> User | None:
        # The library's get_user would keep a deactivated person's session alive.
        return ModelBackend.get_user(self, user_id)
