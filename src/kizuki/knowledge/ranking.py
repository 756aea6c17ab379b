"""Putting the matches in order, in Python from their terms, so SQLite and PostgreSQL agree.

Why not bm25()/ts_rank(): both compute a score for EVERY match before sorting, about 10 µs a
document; a common word (障害) matches a fifth of 100,000 documents, which alone would take
200 ms. So the database finds the newest matches (cheap: an index walk), and they are scored
here with BM25 (k1 1.2, b 0.75; the title's terms count four times; every document found holds
every term, so the terms weigh the same) among a bounded set of candidates: the newest
CANDIDATES matches, plus the newest TITLE_CANDIDATES whose title holds the words (an old
incident named after them is not lost behind recent mentions). The candidates come first, best
first and then newest; the other matches follow, newest first."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet

from kizuki.knowledge import fulltext
from kizuki.knowledge.models import Document, DocumentText
from kizuki.knowledge.tokenizer import Query

CANDIDATES = 200
TITLE_CANDIDATES = 100
_K1 = 1.2
_B = 0.75
_TITLE = 4.0


def _count(terms: str, query: Query) -> list[float]:
    """How often each query term (exact, then prefix) occurs in a space-separated term list."""
    padded = f" {terms} "
    return [float(padded.count(f" {t} ")) for t in query.exact] + [
        float(padded.count(f" {p}")) for p in query.prefixes
    ]


def _length(terms: str) -> int:
    return terms.count(" ") + 1 if terms else 0


def scores(query: Query, texts: dict[int, tuple[str, str]]) -> dict[int, float]:
    """BM25 of each document, from its (title terms, body terms)."""
    lengths = {pk: _TITLE * _length(title) + _length(body) for pk, (title, body) in texts.items()}
    average = (sum(lengths.values()) / len(lengths)) if lengths else 1.0
    result: dict[int, float] = {}
    for pk, (title, body) in texts.items():
        norm = _K1 * (1 - _B + _B * lengths[pk] / max(average, 1.0))
        frequencies = [
            _TITLE * in_title + in_body
            for in_title, in_body in zip(_count(title, query), _count(body, query), strict=True)
        ]
        result[pk] = sum(tf * (_K1 + 1) / (tf + norm) for tf in frequencies if tf)
    return result


@dataclass(frozen=True)
class Ranked:
    ids: list[int]  # the page's documents, in order
    scores: dict[int, float]
    count: int  # how many documents match in all


def rank_page(query: Query, scope: QuerySet[Document] | None, *, offset: int, limit: int) -> Ranked:
    """The ids of one page of the matches, in order, the candidates' scores, and how many
    documents match in all."""
    candidates, count = fulltext.newest_and_count(query, scope, limit=CANDIDATES)
    if offset >= count:
        return Ranked([], {}, count)
    if len(candidates) == CANDIDATES:
        # More matches than candidates: make sure the best titles are among them.
        seen = set(candidates)
        titled = fulltext.newest(query, scope, limit=TITLE_CANDIDATES, title_only=True)
        candidates += [pk for pk in titled if pk not in seen]
    texts: dict[int, tuple[str, str]] = {}
    when: dict[int, datetime] = {}
    rows = DocumentText.objects.filter(document_id__in=candidates).values_list(
        "document_id", "title_terms", "body_terms", "document__occurred_at"
    )
    for pk, title, body, occurred_at in rows:
        texts[pk] = (title, body)
        when[pk] = occurred_at
    scored = scores(query, texts)
    ordered = sorted(texts, key=lambda pk: (-round(scored[pk], 9), -when[pk].timestamp(), -pk))
    page = ordered[offset : offset + limit]
    if len(page) < limit and len(ordered) >= CANDIDATES:
        # Past the candidates: the other matches, newest first.
        rest_offset = max(offset - len(ordered), 0)
        page += fulltext.newest(
            query, scope, limit=limit - len(page), offset=rest_offset, excluding=ordered
        )
    return Ranked(page, scored, count)
