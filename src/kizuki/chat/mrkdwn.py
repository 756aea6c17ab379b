"""Slack's message markup to the plain text Kizuki stores, and Slack timestamps to times.

Slack escapes &, < and > and writes mentions and links as `<@U123|name>`, `<#C123|name>`,
`<https://…|label>`. Stored text reads as people wrote it: @name, #name, label (url)."""

import re
from collections.abc import Callable
from datetime import UTC, datetime

from django.utils.translation import gettext as _

from kizuki.core.errors import InvalidInput

ANGLE = re.compile(r"<([^<>]*)>")
TS = re.compile(r"^(\d{1,12})(?:\.(\d{1,6}))?$")


def _entity(match: re.Match[str], name_of: Callable[[str], str]) -> str:
    inner = match.group(1)
    target, _bar, label = inner.partition("|")
    if target.startswith("@"):
        return "@" + (label or name_of(target[1:]) or target[1:])
    if target.startswith("#"):
        return "#" + (label or target[1:])
    if target.startswith("!"):
        return "@" + (label or target[1:].split("^")[0]).lstrip("@")
    return f"{label} ({target})" if label and label != target else target


def plain(text: str, name_of: Callable[[str], str] = lambda _id: "") -> str:
    """The readable text of Slack markup; `name_of` names users mentioned only by id."""
    text = ANGLE.sub(lambda m: _entity(m, name_of), text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&").strip()


def ts_time(ts: str) -> datetime:
    """The moment of a Slack message timestamp ("1764032400.000200"), to the microsecond."""
    match = TS.match(ts.strip())
    if match is None:
        raise InvalidInput(_("Not a Slack message time: %(ts)s.") % {"ts": ts})
    seconds, fraction = match.group(1), (match.group(2) or "").ljust(6, "0")
    return datetime.fromtimestamp(int(seconds), UTC).replace(microsecond=int(fraction))
