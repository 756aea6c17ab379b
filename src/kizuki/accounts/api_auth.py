"""API authentication: bearer tokens for scripts, the session cookie for the web pages.

Lives in accounts (not in the API assembly) so an app's router can combine it with its own
auth without importing kizuki.api."""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.security import HttpBearer, SessionAuth

from kizuki.accounts.actions import note_token_use
from kizuki.accounts.queries import token_for_secret, token_is_usable
from kizuki.core.errors import DomainError


class TokenRefused(DomainError):
    """A known token that no longer works: the answer says why, so its owner knows to make
    a new one instead of hunting for a typo."""

    code = "unauthenticated"
    status = 401


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = token_for_secret(token)
        if found is None or not found.user.is_active:
            return None
        if found.revoked_at is not None:
            raise TokenRefused(_("This API token has been revoked."))
        if not token_is_usable(found):
            raise TokenRefused(_("This API token has expired."))
        note_token_use(found)
        request.user = found.user
        return found.user


class SessionCookie(SessionAuth):
    def _get_key(self, request: HttpRequest) -> str | None:
        # Without a session cookie there is no session to forge a request with: skip the CSRF
        # check so a request with no credentials gets 401, not "CSRF check failed" (403).
        if self.param_name not in request.COOKIES:
            return None
        return super()._get_key(request)


API_AUTH = [BearerToken(), SessionCookie()]
