"""API authentication: bearer tokens for scripts, the session cookie for the web pages."""

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, django_auth

from kizuki.accounts.queries import user_for_token


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


API_AUTH = [BearerToken(), django_auth]
