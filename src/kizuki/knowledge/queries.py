"""Reads of the search index: what a reader may see, the search itself, similar incidents."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from math import ceil

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from kizuki.accounts.access import Requester
from kizuki.accounts.models import OrgRole, Team, User
from kizuki.catalog.models import Service
from kizuki.core.errors import InvalidInput
from kizuki.incidents.access import hidden_incidents
from kizuki.incidents.models import Incident
from kizuki.knowledge import fulltext
from kizuki.knowledge.models import Document, DocumentText, Kind
from kizuki.knowledge.ranking import rank_page
from kizuki.knowledge.snippets import highlight
from kizuki.knowledge.tokenizer import Query, is_cjk, parse_query, stem, tokenize

QUERY_MAX = 200
PAGE_SIZE_MAX = 100


def visible_to(user: Requester | None) -> QuerySet[Document]:
    """The documents `user` may read: THE place that decides for documents. A signed-in viewer
    reads the documents of the incidents they may see (incidents.access.visible_incidents:
    public ones, and private ones they take part in; admins all) and those without an
    incident (they follow their own app); nobody else reads any. `None` means a reader the
    whole organisation could be (a Slack channel's guide): public incidents only. Filtered
    on the document's incident as a subquery of the few private incidents hidden from the
    reader (`NOT IN`), rather than a join, so a search stays one narrow scan."""
    if user is not None and (not isinstance(user, User) or not user.has_org_role(OrgRole.VIEWER)):
        return Document.objects.none()
    if user is not None and user.has_org_role(OrgRole.ADMIN):
        return Document.objects.all()  # no condition at all: admins see every incident
    hidden = hidden_incidents(user or AnonymousUser()).values("pk")
    return Document.objects.exclude(incident_id__in=hidden)


@dataclass
class SearchFilters:
    kind: str = ""
    team: str = ""  # slug
    service: str = ""  # slug
    severity: int | None = None
    since: date | None = None  # days in the reader's time zone, both included
    until: date | None = None


_EARLIEST = date(1900, 1, 1)
_LATEST = date(9000, 1, 1)


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_current_timezone())


def _filtered(documents: QuerySet[Document], filters: SearchFilters) -> QuerySet[Document]:
    if filters.kind:
        if filters.kind not in Kind.values:
            raise InvalidInput(
                _("Unknown kind %(kind)s; use one of %(kinds)s.")
                % {"kind": filters.kind, "kinds": ", ".join(Kind.values)}
            )
        documents = documents.filter(kind=filters.kind)
    # Subqueries rather than joins: a search checks the conditions on each match's own row.
    if filters.team:
        documents = documents.filter(team__in=Team.objects.filter(slug=filters.team))
    if filters.service:
        tagged = Document.services.through.objects.filter(service__slug=filters.service)
        documents = documents.filter(pk__in=tagged.values("document_id"))
    if filters.severity is not None:
        documents = documents.filter(severity=filters.severity)
    if filters.since and filters.until and filters.since > filters.until:
        raise InvalidInput(_("The period's start is after its end."))
    # Days beyond any document are no bound (and stay clear of the calendar's ends).
    if filters.since and filters.since > _EARLIEST:
        documents = documents.filter(occurred_at__gte=_start_of(filters.since))
    if filters.until and filters.until < _LATEST:
        documents = documents.filter(occurred_at__lt=_start_of(filters.until + timedelta(days=1)))
    return documents


def parse(text: str) -> Query:
    """The query a reader typed, or InvalidInput saying what is wrong with it."""
    text = text.strip()
    if not text:
        raise InvalidInput(_("Type something to search for."))
    if len(text) > QUERY_MAX:
        raise InvalidInput(
            _("The search may be at most %(max)s characters long.") % {"max": QUERY_MAX}
        )
    query = parse_query(text)
    if not query:
        raise InvalidInput(_("The search has no words to look for."))
    return query


@dataclass
class Hit:
    document: Document
    score: float
    title: SafeString  # with the matches marked
    snippet: SafeString

    @property
    def kind_label(self) -> str:
        return str(Kind(self.document.kind).label) if self.document.kind in Kind.values else ""


@dataclass
class Results:
    query: Query
    hits: list[Hit] = field(default_factory=list)
    count: int = 0
    page: int = 1
    pages: int = 0


def search(
    user: Requester | None,
    text: str,
    filters: SearchFilters | None = None,
    *,
    page: int = 1,
    page_size: int = 20,
) -> Results:
    """The documents `user` may read that hold every word of `text`, best first (then the most
    recent), one page at a time, each with its highlighted title and snippet."""
    query = parse(text)
    page_size = min(max(page_size, 1), PAGE_SIZE_MAX)
    page = max(page, 1)
    scope = _filtered(visible_to(user), filters or SearchFilters())
    if scope.query.is_empty():
        return Results(query, page=page)
    ranked = rank_page(query, scope, offset=(page - 1) * page_size, limit=page_size)
    found = (
        Document.objects.select_related("incident", "team", "text")
        .prefetch_related("services")
        .in_bulk(ranked.ids)
    )
    hits = [
        Hit(
            found[pk],
            ranked.scores.get(pk, 0.0),
            highlight(found[pk].title, query, None),
            _snippet(found[pk], query),
        )
        for pk in ranked.ids
        if pk in found
    ]
    return Results(query, hits, ranked.count, page, ceil(ranked.count / page_size))


def _snippet(document: Document, query: Query) -> SafeString:
    text = document.text
    snippet = highlight(text.body, query)
    if text.lessons and "<mark>" not in snippet:
        lessons = highlight(text.lessons, query)
        if "<mark>" in lessons:
            return lessons
    return snippet


def retrospective_urls(incident_ids: list[int]) -> dict[int, str]:
    """The published retrospective of each incident that has one in the index."""
    rows = Document.objects.filter(kind=Kind.RETROSPECTIVE, incident_id__in=incident_ids)
    return {
        incident_id: url
        for incident_id, url in rows.order_by("occurred_at").values_list("incident_id", "url")
        if incident_id is not None
    }


def incident_text(incident: Incident) -> str:
    """The incident's searchable text: its description and its impact."""
    parts = [
        incident.description,
        incident.customers_affected,
        incident.functions_affected,
        incident.secondary_damage,
    ]
    return "\n\n".join(part for part in parts if part)


# Words that say nothing about what broke (as stems, the way the index holds them).
_STOPWORDS = frozenset(
    stem(word)
    for line in (
        "a an and are as at be been by for from had has have in into is it its of on or our",
        "that the their this to was we were will with not no after before when while",
    )
    for word in line.split()
)
_SIGNATURE_MAX = 64


def _hiragana(term: str) -> bool:
    return any("\u3040" <= char <= "\u309f" for char in term)


def signature(incident: Incident) -> tuple[list[str], set[str]]:
    """The terms that say what the incident is about (its title's and its text's, without
    particles, stop words and numbers), and which of them are in its title."""
    chosen: list[str] = []
    title: set[str] = set()
    for part, in_title in ((incident.title, True), (incident_text(incident), False)):
        for token in tokenize(part, query=True):
            term = token.term
            if len(term) < 2 or term.isdigit() or term in _STOPWORDS:
                continue
            if is_cjk(term[0]) and _hiragana(term):
                continue  # が発, した, ます: grammar, not subject
            if in_title:
                title.add(term)
            if term not in chosen:
                chosen.append(term)
    return chosen[:_SIGNATURE_MAX], title


@dataclass
class SimilarIncident:
    incident: Incident
    score: float
    shared_services: list[Service]
    retrospective_url: str


# How much each kind of likeness counts (they add up to 1).
_TEXT, _SERVICES, _SEVERITY, _TEAM = 0.6, 0.25, 0.1, 0.05
_MIN_TEXT = 0.1
_CANDIDATES = 300


def similar_incidents(
    incident: Incident, limit: int = 5, *, reader: Requester | None = None
) -> list[SimilarIncident]:
    """Other incidents most like this one: sharing words with its title and text (theirs and
    their retrospectives'), its services, its severity and its team; best first, each with its
    published retrospective when it has one. `reader`: only what they may see (None: what
    everyone in the organisation may see, e.g. for a Slack channel)."""
    terms, title_terms = signature(incident)
    scope = (
        visible_to(reader)
        .filter(kind__in=[Kind.INCIDENT, Kind.RETROSPECTIVE], incident__isnull=False)
        .exclude(incident_id=incident.pk)
    )
    if scope.query.is_empty():
        return []
    document_ids = (
        fulltext.newest(Query(tuple(terms), ()), scope, limit=_CANDIDATES, any_term=True)
        if terms
        else []
    )
    services = list(incident.services.all())
    if services:
        tagged = Document.services.through.objects.filter(service__in=services)
        sharing = scope.filter(kind=Kind.INCIDENT, pk__in=tagged.values("document_id"))
        document_ids += list(sharing.order_by("-occurred_at").values_list("pk", flat=True)[:50])
    words: dict[int, set[str]] = {}
    rows = DocumentText.objects.filter(document_id__in=document_ids).values_list(
        "document__incident_id", "title_terms", "body_terms"
    )
    for incident_id, title_words, body_words in rows:
        if incident_id is not None:
            words.setdefault(incident_id, set()).update(title_words.split(), body_words.split())
    others = Incident.objects.select_related("severity", "team").prefetch_related("services")
    weight = {term: 2.0 if term in title_terms else 1.0 for term in terms}
    total = sum(weight.values())
    found: list[SimilarIncident] = []
    for other in others.filter(pk__in=list(words)):
        text = sum(weight[t] for t in terms if t in words[other.pk]) / total if total else 0.0
        theirs = list(other.services.all())
        shared = [s for s in theirs if s in services]
        union = {s.pk for s in theirs} | {s.pk for s in services}
        if text < _MIN_TEXT and not shared:
            continue
        same_severity = (
            incident.severity_id is not None and other.severity_id == incident.severity_id
        )
        same_team = incident.team_id is not None and other.team_id == incident.team_id
        score = (
            _TEXT * text
            + _SERVICES * (len(shared) / len(union) if union else 0.0)
            + _SEVERITY * same_severity
            + _TEAM * same_team
        )
        found.append(SimilarIncident(other, round(score, 3), shared, ""))
    found.sort(key=lambda similar: (-similar.score, -similar.incident.number))
    found = found[: max(limit, 0)]
    urls = retrospective_urls([similar.incident.pk for similar in found])
    for similar in found:
        similar.retrospective_url = urls.get(similar.incident.pk, "")
    return found
