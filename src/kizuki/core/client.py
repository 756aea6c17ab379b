"""Who sent a request, for the limits that count per client (login lockout, anonymous
status-page subscriptions)."""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str | None:
    """The client's IP address.

    Behind the TLS proxy (KIZUKI_HTTPS) every request comes from the proxy, so the client is
    the last X-Forwarded-For entry: the one the proxy appended itself. A client can only put
    addresses before it, never replace it."""
    if settings.KIZUKI_HTTPS:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").rsplit(",", 1)[-1].strip()
        try:
            return str(ipaddress.ip_address(forwarded))
        except ValueError:
            pass
    remote: str | None = request.META.get("REMOTE_ADDR")
    return remote
