"""Filters for text people typed (descriptions, notes, status updates): shown escaped, with
its web links clickable and its line breaks kept."""

import re

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

# Only http(s), and only the characters a URL may hold unescaped: a Japanese sentence that
# runs straight on after a link ("https://example.com/を参照") ends the link there.
URL = re.compile(r"https?://[A-Za-z0-9\-._~:/?#\[\]@!$&*+,;=%()]+", re.IGNORECASE)
# Punctuation that ends a sentence rather than the link.
TRAILING = ".,;:!?)]"
# A text longer than this folds behind "Show more" (when the page's script runs).
LONG_TEXT = 600
LONG_LINES = 8


def _link(url: str) -> str:
    # Keep a closing parenthesis that belongs to the URL, e.g. a wiki page "Foo_(bar)".
    while url and url[-1] in TRAILING and not (url[-1] == ")" and url.count("(") >= url.count(")")):
        url = url[:-1]
    return url


@register.filter(is_safe=True)
def rich_text(text: object) -> SafeString:
    """Escape first, then link http(s) URLs (rel="noopener noreferrer nofollow") and keep
    line breaks. Nothing the writer typed becomes markup."""
    raw = str(text or "")
    parts: list[str] = []
    position = 0
    for match in URL.finditer(raw):
        url = _link(match.group(0))
        if len(url) <= len("https://"):
            continue
        parts.append(escape(raw[position : match.start()]))
        href = escape(url)
        parts.append(f'<a href="{href}" rel="noopener noreferrer nofollow">{href}</a>')
        position = match.start() + len(url)
    parts.append(escape(raw[position:]))
    html = "".join(parts).replace("\r\n", "\n").replace("\n", "<br>")
    return mark_safe(html)  # noqa: S308 -- every piece above was escaped


@register.filter
def is_long(text: object) -> bool:
    raw = str(text or "")
    return len(raw) > LONG_TEXT or raw.count("\n") >= LONG_LINES
