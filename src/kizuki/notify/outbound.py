"""Where Kizuki may send to when a user chooses the address (Apprise URLs, later webhooks and
trackers): never loopback, link-local, private, unspecified, multicast or reserved networks
unless an admin allows them in KIZUKI_OUTBOUND_ALLOW. Otherwise anyone who may add an address
could make the server post to services only it can reach.

Checked when the address is saved (a clear refusal) and again before each send, after
resolving the host: DNS can change between the two."""

import ipaddress
import re
import socket
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _

from kizuki.core.errors import InvalidInput

HOST_NAME = re.compile(r"[a-z0-9_-]+(\.[a-z0-9_-]+)*\.?")
Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


class OutboundRefused(InvalidInput):
    """The address is on a network Kizuki does not send to."""

    code = "outbound_refused"


class OutboundUnresolved(InvalidInput):
    """The host name does not resolve (now): nothing can be checked, nothing is sent."""

    code = "outbound_unresolved"


@dataclass(frozen=True)
class Allowed:
    """One KIZUKI_OUTBOUND_ALLOW entry: a network or a host name, on one port or any."""

    network: Network | None
    host: str
    port: int | None

    def admits(self, host: str, address: Address | None, port: int | None) -> bool:
        if self.port is not None and self.port != port:
            return False
        if self.network is not None:
            return address is not None and address in self.network
        return self.host == host


def _split_port(entry: str) -> tuple[str, int | None]:
    """`host:port`, `[v6]:port`, or no port (a bare IPv6 address has colons of its own)."""
    if entry.startswith("["):
        host, _bracket, rest = entry[1:].partition("]")
        return host, int(rest[1:]) if rest.startswith(":") and rest[1:].isdigit() else None
    host, colon, port = entry.rpartition(":")
    if colon and port.isdigit() and ":" not in host:
        return host, int(port)
    return entry, None


@lru_cache(maxsize=8)
def allow_list(setting: str) -> tuple[Allowed, ...]:
    entries = []
    for raw in setting.split(","):
        entry = raw.strip().lower()
        if not entry:
            continue
        try:
            entries.append(Allowed(ipaddress.ip_network(entry, strict=False), "", None))
            continue
        except ValueError:
            pass
        host, port = _split_port(entry)
        try:
            network: Network | None = ipaddress.ip_network(host, strict=False)
        except ValueError:
            network = None
        bad_name = network is None and not HOST_NAME.fullmatch(host)
        if bad_name or (port is not None and not 0 < port < 65536):
            msg = f"KIZUKI_OUTBOUND_ALLOW: {raw.strip()!r} is not a host, CIDR or host:port"
            raise ImproperlyConfigured(msg)
        entries.append(Allowed(network, host.rstrip(".") if network is None else "", port))
    return tuple(entries)


def _allowed() -> tuple[Allowed, ...]:
    return allow_list(str(getattr(settings, "KIZUKI_OUTBOUND_ALLOW", "") or ""))


def network_kind(address: Address) -> str | None:
    """What kind of network refuses this address, or None for a public one."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    checks = [
        (address.is_loopback, _("loopback")),
        (address.is_unspecified, _("unspecified")),
        (address.is_link_local, _("link-local")),
        (address.is_multicast, _("multicast")),
        (address.is_private, _("private network")),
        (address.is_reserved, _("reserved")),
        (not address.is_global, _("not globally routable")),
    ]
    return next((kind for refused, kind in checks if refused), None)


def _resolve(host: str, port: int | None) -> list[Address]:
    try:
        found = socket.getaddrinfo(host, port or 0, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        return []
    return [ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]) for info in found]


def check_host(host: str, port: int | None = None, *, must_resolve: bool = True) -> None:
    """Refuse (OutboundRefused) a host on a network Kizuki does not send to. A name that does
    not resolve is refused with OutboundUnresolved when `must_resolve` (before a send), and
    let through otherwise (when saving: DNS may be down; the send checks it again)."""
    host = host.strip().strip("[]").rstrip(".").lower()
    allowed = _allowed()
    if any(entry.admits(host, None, port) for entry in allowed if entry.network is None):
        return
    try:
        addresses = [ipaddress.ip_address(host)]
    except ValueError:
        if host == "localhost" or host.endswith(".localhost"):
            addresses = [ipaddress.ip_address("127.0.0.1")]
        else:
            addresses = _resolve(host, port)
    if not addresses:
        if must_resolve:
            raise OutboundUnresolved(
                _("The host %(host)s could not be resolved, so nothing was sent to it.")
                % {"host": host}
            )
        return
    for address in addresses:
        kind = network_kind(address)
        if kind is None or any(entry.admits(host, address, port) for entry in allowed):
            continue
        if host == str(address):
            problem = _("%(address)s is not a public address (%(kind)s).")
        else:
            problem = _("%(host)s resolves to %(address)s, not a public address (%(kind)s).")
        raise OutboundRefused(
            " ".join(
                [
                    problem % {"host": host, "address": address, "kind": kind},
                    _(
                        "Kizuki sends to loopback, link-local and private networks only where"
                        " an administrator allows it in KIZUKI_OUTBOUND_ALLOW."
                    ),
                ]
            )
        )


def check_url(url: str, *, must_resolve: bool = True) -> None:
    """check_host for an http(s) URL someone chose (webhooks, trackers)."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise InvalidInput(_("Enter an http:// or https:// URL."))
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise InvalidInput(_("Enter an http:// or https:// URL.")) from None
    check_host(parts.hostname, port, must_resolve=must_resolve)


def check_allow_setting(**_kwargs: object) -> list[checks.CheckMessage]:
    """A system check: a mistyped KIZUKI_OUTBOUND_ALLOW fails at start, not at the first send."""
    try:
        _allowed()
    except ImproperlyConfigured as error:
        return [checks.Error(str(error), id="kizuki.E001")]
    return []
