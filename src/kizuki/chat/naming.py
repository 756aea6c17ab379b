"""Incident channel names: a configurable pattern, a slug from the title, Slack's rules.

Slack channel names are lower case, at most 80 characters, without spaces or periods, and
unique. Japanese titles are romanised (pykakasi, Hepburn): 決済APIの遅延 → kessai-api-no-chien;
a title with nothing to romanise becomes `inc-<number>`. A taken name gets -2, -3, …"""

import functools
import re
import unicodedata
from collections.abc import Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

import pykakasi

MAX_LENGTH = 80
MAX_SUFFIX = 50  # -2 … -50; past that something else is wrong
NOT_SLUG = re.compile(r"[^a-z0-9]+")
NOT_NAME = re.compile(r"[^\w-]+")  # \w: letters of any script, digits, underscore
DASHES = re.compile(r"-{2,}")
JAPANESE = re.compile(
    r"[\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff々〆ヵヶ]"
)


@functools.cache
def _kakasi() -> pykakasi.kakasi:
    # Loading the dictionaries takes about half a second: once per process, when first needed.
    return pykakasi.kakasi()  # type: ignore[no-untyped-call]  # pykakasi leaves __init__ bare


def romanise(text: str) -> str:
    """Latin letters for Japanese (and other scripts pykakasi knows); words split by spaces."""
    text = unicodedata.normalize("NFKC", text)
    parts: list[str] = []
    previous_japanese = False
    for token in _kakasi().convert(text):
        japanese = bool(JAPANESE.search(token["orig"]))
        if parts and (japanese or previous_japanese):
            parts.append(" ")
        parts.append(token["orig"] if token["orig"].isascii() else token["hepburn"])
        previous_japanese = japanese
    # Accented Latin letters lose their accents (café → cafe).
    flat = unicodedata.normalize("NFKD", "".join(parts))
    return "".join(c for c in flat if not unicodedata.combining(c))


def slug(title: str, number: int) -> str:
    """ASCII lower-case words joined by hyphens; `inc-<number>` when nothing is left."""
    words = NOT_SLUG.sub("-", romanise(title).lower()).strip("-")
    return words or f"inc-{number}"


def channel_name(pattern: str, *, title: str, number: int, declared: datetime, zone: str) -> str:
    """Fill the pattern's placeholders ({YYYYMMDD} {YYYY} {MM} {DD} {slug} {number}) and make
    the result a valid Slack name. The date is the declaration's, in `zone`."""
    day = declared.astimezone(ZoneInfo(zone))
    values = {
        "{YYYYMMDD}": day.strftime("%Y%m%d"),
        "{YYYY}": day.strftime("%Y"),
        "{MM}": day.strftime("%m"),
        "{DD}": day.strftime("%d"),
        "{number}": str(number),
        "{slug}": slug(title, number),
    }
    name = pattern
    for placeholder, value in values.items():
        name = name.replace(placeholder, value)
    return clean(name) or f"inc-{number}"


def clean(name: str) -> str:
    """Lower case; runs of spaces, periods and other signs become one hyphen; at most 80."""
    name = DASHES.sub("-", NOT_NAME.sub("-", name.lower())).strip("-_")
    return name[:MAX_LENGTH].rstrip("-_")


def candidates(name: str) -> Iterator[str]:
    """The name, then name-2, name-3 … each cut to fit 80 characters with its suffix."""
    yield name[:MAX_LENGTH]
    for n in range(2, MAX_SUFFIX + 1):
        suffix = f"-{n}"
        yield name[: MAX_LENGTH - len(suffix)].rstrip("-_") + suffix
