"""Addresses as they are shown back, on pages and in API answers. An Apprise URL carries its
service's credentials and tokens (in the user part, the path, the query, and for many
services in place of the host), so only its scheme and a real host name leave the server:
`json://hooks.example.com/***`, `slack://…/***`. E-mail addresses, phone numbers and Slack
ids are shown as they are: they are no secret and their owner needs to recognise them."""

import re

HIDDEN = "***"
# Where a service puts a token instead of a host name ("slack://TokenA/…", "tgram://bot/…").
HIDDEN_HOST = "…"
_PORT = re.compile(r":\d{1,5}$")
# A host name with at least one dot, an IPv4 address, `localhost` or a bracketed IPv6
# address: anything else in the host's place is taken for a token.
_HOST = re.compile(
    r"(?:localhost|\[[0-9A-Fa-f:.]+\]|(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+"
    r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)"
)


def masked(address: str) -> str:
    """The address to show: a URL (the same test that decides what is sealed at rest) keeps
    its scheme and host, with everything else replaced; any other address is unchanged."""
    if "://" not in address:
        return address
    scheme, rest = address.split("://", 1)
    location = re.split(r"[/?#]", rest, maxsplit=1)[0]
    hidden = len(location) < len(rest)
    if "@" in location:
        location, hidden = location.rsplit("@", 1)[1], True
    host = _PORT.sub("", location)
    if not _HOST.fullmatch(host):
        location = HIDDEN_HOST
    shown = f"{scheme}://{location}"
    return f"{shown}/{HIDDEN}" if hidden else shown
