"""API authentication: bearer tokens for scripts, the session cookie for the web pages.

Lives in accounts (not in the API assembly) so an app's router can combine it with its own
auth without importing kizuki.api."""

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from kizuki.accounts.queries import user_for_token


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


class SessionCookie(SessionAuth):
    def _get_key(self, request: HttpRequest) -> str | None:
        # Without a session cookie there is no session to forge a request with: skip the CSRF
        # check so a request with no credentials gets 401, not "CSRF check failed" (403).
        if self.param_name not in request.COOKIES:
            return None
        return super()._get_key(request)


API_AUTH = [BearerToken(), SessionCookie()]
