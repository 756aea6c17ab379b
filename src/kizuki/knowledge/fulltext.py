"""The database half of the search, for SQLite (FTS5) and PostgreSQL (tsvector + GIN). Both
index the very same terms (tokenizer.py), so both find the same documents; this module only
FINDS and COUNTS them (newest first). Ranking is done in Python from the terms (ranking.py),
so both databases also put them in the same order.

A search is: every term of the query present in the title or the text, within the documents
a `scope` query set allows (the reader's visibility and the filters)."""

from typing import Any

from django.db import connection
from django.db.models import QuerySet

from kizuki.knowledge.models import Document
from kizuki.knowledge.tokenizer import Query

# PostgreSQL keeps positions up to this and at most this many per lexeme.
_PG_MAX_POSITION = 16383
_PG_MAX_POSITIONS = 256


def postgres() -> bool:
    return connection.vendor == "postgresql"


def tsvector_literal(terms: list[str]) -> str:
    """The terms as a tsvector literal: each lexeme with its positions."""
    positions: dict[str, list[str]] = {}
    for index, term in enumerate(terms):
        at = positions.setdefault(term, [])
        if len(at) < _PG_MAX_POSITIONS:
            at.append(str(min(index + 1, _PG_MAX_POSITION)))
    return " ".join(f"'{term}':{','.join(at)}" for term, at in positions.items())


# `search` holds the title's and the text's terms, `title_search` the title's alone (a small
# vector of its own: asking `search` for title terms by weight would read every match's).
_PG_WRITE = (
    "UPDATE knowledge_document SET search = %s::tsvector, title_search = %s::tsvector WHERE id = %s"
)


def _vectors(title_terms: list[str], body_terms: list[str]) -> tuple[str, str]:
    return tsvector_literal([*title_terms, *body_terms]), tsvector_literal(title_terms)


def write_vector(document_id: int, title_terms: list[str], body_terms: list[str]) -> None:
    """On PostgreSQL, store the document's tsvectors (SQLite's triggers need nothing)."""
    if postgres():
        with connection.cursor() as cursor:
            cursor.execute(_PG_WRITE, [*_vectors(title_terms, body_terms), document_id])


def write_vectors(rows: list[tuple[int, list[str], list[str]]]) -> None:
    """Many at once (the rebuild): (document id, title terms, body terms)."""
    if postgres() and rows:
        with connection.cursor() as cursor:
            cursor.executemany(
                _PG_WRITE, [(*_vectors(title, body), pk) for pk, title, body in rows]
            )


def rebuild_fts5() -> None:
    """On SQLite, build the FTS5 index again from knowledge_documenttext (after a restore)."""
    if not postgres():
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO knowledge_fts(knowledge_fts) VALUES ('rebuild')")


def _fts5_match(query: Query, *, any_term: bool = False, title_only: bool = False) -> str:
    parts = [f'"{term}"' for term in query.exact] + [f'"{term}"*' for term in query.prefixes]
    expression = (" OR " if any_term else " AND ").join(parts)
    return f"title_terms : ({expression})" if title_only else expression


def _tsquery(query: Query, *, any_term: bool = False) -> str:
    parts = [f"'{term}'" for term in query.exact] + [f"'{term}':*" for term in query.prefixes]
    return (" | " if any_term else " & ").join(parts)


def _scope(scope: QuerySet[Document] | None) -> tuple[str, list[Any]]:
    """The scope's conditions as `AND (...)` on knowledge_document. Conditions on the document
    itself are written as they are (a search checks them on each match); a scope that joins
    other tables becomes `AND id IN (...)`. Nothing when it filters nothing."""
    if scope is None or not scope.query.where:
        return "", []
    query = scope.query
    compiler = query.get_compiler(using=scope.db)
    table = Document._meta.db_table
    if not any(count and alias != table for alias, count in query.alias_refcount.items()):
        sql, params = compiler.compile(query.where)
        return f" AND ({sql})", list(params)
    sql, params = scope.values("id").query.sql_with_params()
    return f" AND knowledge_document.id IN ({sql})", list(params)


# The SQL below is put together from constants and from `_scope`, which Django compiled with
# its values as parameters: nothing a user typed is ever part of the text.
_PG_FROM = "FROM knowledge_document WHERE knowledge_document.{column} @@ %s::tsquery"
# CROSS JOIN keeps SQLite from driving the search from a filter's index (a team's documents)
# and asking FTS5 about each one by rowid, which costs a full MATCH per row.
_FTS5_FROM = (
    "FROM knowledge_fts CROSS JOIN knowledge_document"
    " ON knowledge_document.id = knowledge_fts.rowid WHERE knowledge_fts MATCH %s"
)
_NEWEST = " ORDER BY knowledge_document.occurred_at DESC, knowledge_document.id DESC"


def _newest(
    query: Query,
    scope: QuerySet[Document] | None,
    *,
    limit: int,
    offset: int = 0,
    any_term: bool = False,
    title_only: bool = False,
    excluding: list[int] | None = None,
    counted: bool = False,
) -> tuple[list[int], int]:
    where, params = _scope(scope)
    if excluding:
        where += f" AND knowledge_document.id NOT IN ({', '.join(['%s'] * len(excluding))})"
        params += excluding
    if postgres():
        match = _tsquery(query, any_term=any_term)
        start = _PG_FROM.format(column="title_search" if title_only else "search")
    else:
        match = _fts5_match(query, any_term=any_term, title_only=title_only)
        start = _FTS5_FROM
    # The total rides along as a window count: one pass over the matches instead of two.
    total = ", count(*) OVER ()" if counted else ""
    sql = f"SELECT knowledge_document.id{total} {start}{where}{_NEWEST} LIMIT %s OFFSET %s"
    with connection.cursor() as cursor:
        cursor.execute(sql, [match, *params, limit, offset])
        rows = cursor.fetchall()
    return [int(row[0]) for row in rows], (int(rows[0][1]) if counted and rows else 0)


def newest(
    query: Query,
    scope: QuerySet[Document] | None,
    *,
    limit: int,
    offset: int = 0,
    any_term: bool = False,
    title_only: bool = False,
    excluding: list[int] | None = None,
) -> list[int]:
    """The ids of the matching documents, newest first. `any_term`: one of the terms
    is enough; `title_only`: the terms must be in the title; `excluding`: ids to leave out."""
    ids, _total = _newest(
        query,
        scope,
        limit=limit,
        offset=offset,
        any_term=any_term,
        title_only=title_only,
        excluding=excluding,
    )
    return ids


def newest_and_count(
    query: Query, scope: QuerySet[Document] | None, *, limit: int
) -> tuple[list[int], int]:
    """The ids of the newest `limit` documents holding every term, and how many hold them.
    SQLite joins every match to sort it anyway, so the count rides along as a window count;
    PostgreSQL walks the time index and stops at `limit`, so it counts apart (from the GIN
    index), which is much cheaper than making it visit every match."""
    if not postgres():
        ids, total = _newest(query, scope, limit=limit, counted=True)
        return ids, total if ids else 0
    ids, _none = _newest(query, scope, limit=limit)
    if not ids:
        return [], 0
    where, params = _scope(scope)
    sql = f"SELECT count(*) {_PG_FROM.format(column='search')}{where}"
    with connection.cursor() as cursor:
        cursor.execute(sql, [_tsquery(query), *params])
        row = cursor.fetchone()
    return ids, int(row[0]) if row else 0
