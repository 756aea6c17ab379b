"""Where the OpenID Connect provider's endpoints are: the ones set in the environment, and
the rest from the issuer's discovery document, fetched on the first sign-in (not at start,
so a provider outage never stops Kizuki starting) and kept for an hour."""

import threading
import time
from dataclasses import dataclass
from typing import Any

import requests
from django.conf import settings
from django.utils.translation import gettext as _

DISCOVERY_TTL = 3600.0


class ProviderUnavailable(Exception):
    """The provider did not answer, or answered with something that is not OIDC."""


@dataclass(frozen=True)
class Endpoints:
    issuer: str
    authorization: str
    token: str
    userinfo: str
    jwks: str
    end_session: str


_lock = threading.Lock()
_discovered: dict[str, tuple[float, dict[str, Any]]] = {}


def _discovery(issuer: str) -> dict[str, Any]:
    now = time.monotonic()
    with _lock:
        cached = _discovered.get(issuer)
        if cached and now - cached[0] < DISCOVERY_TTL:
            return cached[1]
    url = issuer.rstrip("/") + "/.well-known/openid-configuration"
    try:
        response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
        response.raise_for_status()
        document = response.json()
    except (requests.RequestException, ValueError) as error:
        raise ProviderUnavailable(
            _("The sign-in service did not answer (%(error)s).") % {"error": type(error).__name__}
        ) from error
    if not isinstance(document, dict):
        raise ProviderUnavailable(_("The sign-in service's discovery document is not valid."))
    with _lock:
        _discovered[issuer] = (now, document)
    return document


def forget_discovery() -> None:
    """Fetch the discovery document again on the next sign-in (after a provider change)."""
    with _lock:
        _discovered.clear()


def endpoints() -> Endpoints:
    explicit = {
        "authorization_endpoint": settings.OIDC_OP_AUTHORIZATION_ENDPOINT,
        "token_endpoint": settings.OIDC_OP_TOKEN_ENDPOINT,
        "userinfo_endpoint": settings.OIDC_OP_USER_ENDPOINT,
        "jwks_uri": settings.OIDC_OP_JWKS_ENDPOINT,
        "end_session_endpoint": settings.KIZUKI_OIDC_END_SESSION_ENDPOINT,
    }
    issuer = settings.KIZUKI_OIDC_ISSUER
    required = ("authorization_endpoint", "token_endpoint", "userinfo_endpoint", "jwks_uri")
    if issuer and not all(explicit[key] for key in required):
        found = _discovery(issuer)
        for key, value in explicit.items():
            if not value and isinstance(found.get(key), str):
                explicit[key] = found[key]
    missing = [key for key in required if not explicit[key]]
    if missing:
        raise ProviderUnavailable(
            _("The sign-in service does not say where its %(what)s is.")
            % {"what": ", ".join(missing)}
        )
    return Endpoints(
        issuer=issuer,
        authorization=explicit["authorization_endpoint"],
        token=explicit["token_endpoint"],
        userinfo=explicit["userinfo_endpoint"],
        jwks=explicit["jwks_uri"],
        end_session=explicit["end_session_endpoint"],
    )
