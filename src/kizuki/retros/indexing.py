"""Published retrospectives in the knowledge index: search finds them, and similar incidents
link them. A draft is not knowledge yet: reopening takes the document out again."""

from django.urls import reverse
from django.utils import translation

from kizuki.knowledge import actions as knowledge
from kizuki.retros import queries
from kizuki.retros.events import RetrospectiveStatusChanged
from kizuki.retros.models import Retrospective, RetroStatus

KIND = "retrospective"


def index(retro: Retrospective) -> None:
    if retro.status != RetroStatus.PUBLISHED or retro.published_at is None:
        knowledge.remove_document(KIND, retro.pk)
        return
    incident = retro.incident
    # Labels in the document's own language, whoever's action published it.
    with translation.override(retro.language or None):
        title = f"{incident.ref} {incident.title}"
        body = "\n\n".join(f"{s.title}\n{s.body}" for s in queries.sections(retro) if s.body)
        lessons = "\n\n".join(s.body for s in queries.lessons(retro))
    knowledge.index_document(
        KIND,
        retro.pk,
        title=title,
        body=body,
        url=reverse("retro-detail", kwargs={"ref": incident.ref}),
        incident_id=incident.pk,
        occurred_at=retro.published_at,
        lessons=lessons,
    )


def on_status_changed(event: RetrospectiveStatusChanged) -> None:
    """After commit, in the worker: published documents in, reopened ones out."""
    index(queries.get_retrospective_by_id(event.retrospective_id))


def reindex_all() -> int:
    """Every published retrospective again (`kizuki search-index rebuild`)."""
    published = queries.filter_retrospectives(RetroStatus.PUBLISHED, viewer=None)
    for retro in published:
        index(retro)
    return len(published)
