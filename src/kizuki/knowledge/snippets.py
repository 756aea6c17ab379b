"""Highlighted snippets, built in Python from the ORIGINAL text (so they are the same on both
databases): the words that matched are wrapped in <mark>, everything else is escaped."""

import re
import unicodedata

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from kizuki.knowledge.tokenizer import Query, normalise, tokenize

SNIPPET_WIDTH = 160
# A longer text is not tokenized whole for its snippet: only the stretch around the first
# place its normalised form holds a query term (or, failing that, its beginning).
_LONG = 4 * SNIPPET_WIDTH
_SPACE = re.compile(r"\s+")


def _first_char_end(text: str, start: int) -> int:
    """The end of the character at `start`, with any (half-width) marks that join it."""
    end = start + 1
    while end < len(text) and (unicodedata.combining(text[end]) or text[end] in "ﾞﾟ"):
        end += 1
    return end


def matched_spans(text: str, query: Query) -> list[tuple[int, int]]:
    """Where the query's terms are in `text`, merged where they touch or overlap."""
    spans: list[tuple[int, int]] = []
    for token in tokenize(text):
        if token.term in query.exact:
            spans.append((token.start, token.end))
        elif any(token.term.startswith(prefix) for prefix in query.prefixes):
            spans.append((token.start, _first_char_end(text, token.start)))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _window(spans: list[tuple[int, int]], length: int, width: int) -> tuple[int, int]:
    """The stretch of `width` characters holding the most matches, starting a little before
    the first of them."""
    if length <= width or not spans:
        return 0, min(length, width)
    best, best_count = 0, -1
    for index, (start, _end) in enumerate(spans):
        count = sum(1 for other, _ in spans[index:] if other < start + width)
        if count > best_count:
            best, best_count = index, count
    start = max(0, spans[best][0] - width // 5)
    end = min(length, start + width)
    return max(0, end - width), end


def _region(text: str, query: Query, width: int) -> tuple[int, int]:
    """Where in a long text to look for the snippet's matches."""
    normal, starts, _ends = normalise(text)
    found = [at for term in (*query.exact, *query.prefixes) if (at := normal.find(term)) >= 0]
    first = starts[min(found)] if found else 0
    start = max(0, first - width)
    return start, min(len(text), start + 3 * width)


def highlight(text: str, query: Query, width: int | None = SNIPPET_WIDTH) -> SafeString:
    """`text` (or its best `width` characters) as HTML with the matches marked; white space
    runs become one space."""
    if width is not None and len(text) > _LONG:
        low, high = _region(text, query, width)
        spans = [(a + low, b + low) for a, b in matched_spans(text[low:high], query)]
    else:
        spans = matched_spans(text, query)
    start, end = (0, len(text)) if width is None else _window(spans, len(text), width)
    # Never cut through a match at the window's edges.
    for span_start, span_end in spans:
        if span_start < start < span_end:
            start = span_start
        if span_start < end < span_end:
            end = span_end
    pieces: list[str] = ["…"] if start > 0 else []
    at = start
    for span_start, span_end in spans:
        if span_end <= start or span_start >= end:
            continue
        pieces.append(_SPACE.sub(" ", escape(text[at:span_start])))
        pieces.append(f"<mark>{_SPACE.sub(' ', escape(text[span_start:span_end]))}</mark>")
        at = span_end
    pieces.append(_SPACE.sub(" ", escape(text[at:end])))
    if end < len(text):
        pieces.append("…")
    return mark_safe("".join(pieces).strip())  # noqa: S308  every piece of text is escaped
