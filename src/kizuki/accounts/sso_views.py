"""The two single sign-on pages: off to the provider, and back with a code.

Every way a sign-in can fail ends on a page that says what happened and offers to start
again: the provider unreachable (502), a callback that does not match the sign-in this
browser started (400), a person the provider vouches for but Kizuki refuses (403)."""

import logging
from typing import Any
from urllib.parse import urlencode

import requests
from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render, resolve_url
from django.utils.translation import gettext as _
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from kizuki.accounts.oidc_provider import ProviderUnavailable, endpoints
from kizuki.core.errors import NotAllowed

log = logging.getLogger(__name__)


def sso_error(request: HttpRequest, message: str, status: int) -> HttpResponse:
    context = {"message": message, "password_login": settings.KIZUKI_PASSWORD_LOGIN}
    return render(request, "accounts/sso_error.html", context, status=status)


def _unreachable(request: HttpRequest, error: Exception) -> HttpResponse:
    log.warning("single sign-on: the provider failed: %s", error)
    return sso_error(
        request,
        _("The sign-in service could not be reached. Try again in a moment."),
        502,
    )


class SsoLoginView(OIDCAuthenticationRequestView):  # type: ignore[misc]
    def get(self, request: HttpRequest) -> HttpResponse:
        if not settings.KIZUKI_SSO:
            raise Http404
        try:
            self.OIDC_OP_AUTH_ENDPOINT = endpoints().authorization
        except ProviderUnavailable as error:
            return _unreachable(request, error)
        return super().get(request)  # type: ignore[no-any-return]


class SsoCallbackView(OIDCAuthenticationCallbackView):  # type: ignore[misc]
    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not settings.KIZUKI_SSO:
            raise Http404
        try:
            return super().get(request)  # type: ignore[no-any-return]
        except (ProviderUnavailable, requests.RequestException) as error:
            return _unreachable(request, error)
        except SuspiciousOperation as error:
            log.warning("single sign-on: refused a callback: %s", error)
            return sso_error(
                request,
                _(
                    "This sign-in could not be verified: it may have expired, or been started"
                    " in another window. Start again."
                ),
                400,
            )
        except NotAllowed as refused:
            return sso_error(request, refused.detail, 403)

    def login_failure(self) -> HttpResponse:
        if self.request.GET.get("error"):
            # The provider refused or the person cancelled there.
            message = _("The sign-in service did not sign you in (%(error)s).") % {
                "error": self.request.GET["error"][:100]
            }
        else:
            message = _("Single sign-on did not sign you in. Start again.")
        return sso_error(self.request, message, 403)


def provider_logout_url(request: HttpRequest) -> str:
    """Where to end the provider's session too, or "" to log out of Kizuki only."""
    id_token = request.session.get("oidc_id_token")
    if not (settings.KIZUKI_SSO and settings.KIZUKI_OIDC_PROVIDER_LOGOUT and id_token):
        return ""
    try:
        end_session = endpoints().end_session
    except ProviderUnavailable:
        return ""  # the Kizuki session still ends
    if not end_session:
        return ""
    query = urlencode(
        {
            "id_token_hint": id_token,
            "client_id": settings.OIDC_RP_CLIENT_ID,
            "post_logout_redirect_uri": request.build_absolute_uri(resolve_url("login")),
        }
    )
    return f"{end_session}{'&' if '?' in end_session else '?'}{query}"
