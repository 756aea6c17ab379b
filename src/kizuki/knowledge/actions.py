"""The only write path for the search index. Other apps push their documents here (incidents'
through this app's own subscriptions; retrospectives, follow-ups and risks from their apps);
each call is one transaction that writes the document and its full-text terms together."""

from collections.abc import Callable, Iterable
from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from kizuki.accounts.models import Team
from kizuki.catalog.models import Service
from kizuki.core import clock
from kizuki.core.errors import InvalidInput
from kizuki.incidents.models import Incident
from kizuki.knowledge import fulltext
from kizuki.knowledge.models import Document, DocumentText, Kind
from kizuki.knowledge.tokenizer import terms

_TITLE_MAX = Document._meta.get_field("title").max_length or 300
_URL_MAX = Document._meta.get_field("url").max_length or 500

# What `reindex_all` asks each app to push again: kind -> a function that re-indexes them all.
# Higher apps add theirs from AppConfig.ready() (register_source).
Source = Callable[[], object]
_sources: dict[str, Source] = {}


def register_source(kind: str, reindex: Source) -> None:
    """`reindex()` re-indexes every document of `kind` from its app (the rebuild calls it)."""
    _sources[kind] = reindex


def _check_kind(kind: str) -> str:
    if kind not in Kind.values:
        raise InvalidInput(
            _("Unknown kind %(kind)s; use one of %(kinds)s.")
            % {"kind": kind, "kinds": ", ".join(Kind.values)}
        )
    return kind


@transaction.atomic
def index_document(
    kind: str,
    source_id: str | int,
    *,
    title: str,
    body: str,
    url: str,
    incident_id: int | None,
    occurred_at: datetime,
    team: Team | None = None,
    services: Iterable[Service] | None = None,
    severity: int | None = None,
    lessons: str = "",
    index_title: bool = True,
) -> Document:
    """Add the document, or replace what is indexed for (kind, source_id). With an incident,
    the team, services and severity not given are the incident's. `index_title=False`: the
    title is only shown, not searched (a timeline note's title is its incident's)."""
    _check_kind(kind)
    if occurred_at.tzinfo is None:
        raise InvalidInput(_("The time needs its time zone."))
    incident = None
    if incident_id is not None:
        incident = (
            Incident.objects.select_related("severity", "team").filter(pk=incident_id).first()
        )
        if incident is None:
            raise InvalidInput(_("No incident with id %(id)s.") % {"id": incident_id})
        if team is None:
            team = incident.team
        if severity is None and incident.severity is not None:
            severity = incident.severity.level
        if services is None:
            services = list(incident.services.all())
    title = title.strip()[:_TITLE_MAX]
    title_terms = terms(title) if index_title else []
    body_terms = terms(body) + terms(lessons)
    document, _created = Document.objects.update_or_create(
        kind=kind,
        source_id=str(source_id),
        defaults={
            "title": title,
            "url": url[:_URL_MAX],
            "incident": incident,
            "team": team,
            "severity": severity,
            "occurred_at": occurred_at,
            "updated_at": clock.now(),
        },
    )
    DocumentText.objects.update_or_create(
        document=document,
        defaults={
            "body": body,
            "lessons": lessons,
            "title_terms": " ".join(title_terms),
            "body_terms": " ".join(body_terms),
        },
    )
    document.services.set(list(services or []))
    fulltext.write_vector(document.pk, title_terms, body_terms)
    return document


@transaction.atomic
def remove_document(kind: str, source_id: str | int) -> bool:
    """Take the document out of the index; False when there was none."""
    deleted, _rows = Document.objects.filter(kind=kind, source_id=str(source_id)).delete()
    return deleted > 0


@transaction.atomic
def update_facets(incident: Incident) -> int:
    """Give every document of the incident its current team, severity and services (they are
    what the filters and similar incidents compare). Returns how many were updated."""
    documents = list(Document.objects.filter(incident=incident))
    level = incident.severity.level if incident.severity else None
    Document.objects.filter(incident=incident).update(team=incident.team, severity=level)
    services = list(incident.services.all())
    for document in documents:
        document.services.set(services)
    return len(documents)


def retokenize(batch: int = 1000) -> int:
    """Compute every document's terms again from its stored title, text and lessons (after the
    tokenizer changed), in batches of one transaction each. Returns how many."""
    done = 0
    last = 0
    while True:
        with transaction.atomic():
            texts = list(
                DocumentText.objects.select_related("document")
                .filter(document_id__gt=last)
                .order_by("document_id")[:batch]
            )
            if not texts:
                return done
            vectors: list[tuple[int, list[str], list[str]]] = []
            for text in texts:
                # A title indexed with no terms stays unindexed (index_title=False).
                title_terms = terms(text.document.title) if text.title_terms else []
                body_terms = terms(text.body) + terms(text.lessons)
                text.title_terms = " ".join(title_terms)
                text.body_terms = " ".join(body_terms)
                vectors.append((text.document_id, title_terms, body_terms))
            DocumentText.objects.bulk_update(texts, ["title_terms", "body_terms"])
            fulltext.write_vectors(vectors)
            done += len(texts)
            last = texts[-1].document_id


def restore_index(batch: int = 1000) -> int:
    """Build the full-text index again from the terms stored beside each document, as they
    are (a restored backup holds the rows, not the index). Returns how many documents."""
    fulltext.rebuild_fts5()
    done = 0
    last = 0
    while texts := list(
        DocumentText.objects.filter(document_id__gt=last)
        .order_by("document_id")
        .values_list("document_id", "title_terms", "body_terms")[:batch]
    ):
        fulltext.write_vectors([(pk, title.split(), body.split()) for pk, title, body in texts])
        done += len(texts)
        last = texts[-1][0]
    return done


def reindex_all() -> dict[str, int]:
    """Rebuild the index: every stored document's terms again, then every source pushes its
    documents again (incidents, their notes and status updates, and what higher apps
    registered). Returns a count per step."""
    counts = {"retokenized": retokenize()}
    for kind, reindex in _sources.items():
        result = reindex()
        counts[kind] = result if isinstance(result, int) else 0
    return counts
