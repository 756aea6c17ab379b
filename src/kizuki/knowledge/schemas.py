"""API shapes for search and similar incidents. Times are ISO 8601 in UTC."""

from datetime import date, datetime

from ninja import Schema
from pydantic import Field

from kizuki.core.schemas import PageOut, utc
from kizuki.knowledge.queries import QUERY_MAX, Hit, SimilarIncident


class SearchQuery(Schema):
    q: str = Field(default="", max_length=QUERY_MAX)
    kind: str = ""
    team: str = ""
    service: str = ""
    severity: int | None = Field(default=None, ge=1, le=5)
    since: date | None = None
    until: date | None = None
    page: int = Field(default=1, ge=1, le=10_000)
    page_size: int = Field(default=20, ge=1, le=100)


class IncidentRef(Schema):
    ref: str
    title: str


class SearchHitOut(Schema):
    kind: str
    title: str
    url: str
    # HTML: the text around the matches, escaped, with each match in <mark>.
    snippet: str
    title_html: str
    score: float
    occurred_at: datetime
    incident: IncidentRef | None
    team: str | None
    services: list[str]
    severity: int | None


class SearchPage(PageOut[SearchHitOut]):
    pass


def hit_out(hit: Hit) -> SearchHitOut:
    document = hit.document
    incident = document.incident
    return SearchHitOut(
        kind=document.kind,
        title=document.title,
        url=document.url,
        snippet=str(hit.snippet),
        title_html=str(hit.title),
        score=round(hit.score, 6),
        occurred_at=utc(document.occurred_at) or document.occurred_at,
        incident=IncidentRef(ref=incident.ref, title=incident.title) if incident else None,
        team=document.team.slug if document.team else None,
        services=sorted(s.slug for s in document.services.all()),
        severity=document.severity,
    )


class SimilarOut(Schema):
    ref: str
    number: int
    title: str
    url: str
    status: str
    severity: int | None
    score: float
    services: list[str]
    shared_services: list[str]
    retrospective_url: str | None


class SimilarList(Schema):
    items: list[SimilarOut]
    count: int


def similar_out(similar: SimilarIncident, url: str) -> SimilarOut:
    incident = similar.incident
    return SimilarOut(
        ref=incident.ref,
        number=incident.number,
        title=incident.title,
        url=url,
        status=incident.status,
        severity=incident.severity.level if incident.severity else None,
        score=similar.score,
        services=sorted(s.slug for s in incident.services.all()),
        shared_services=sorted(s.slug for s in similar.shared_services),
        retrospective_url=similar.retrospective_url or None,
    )
