"""REST endpoints for knowledge: thin wrappers that authorise, call a query, serialise."""

from django.http import HttpRequest
from django.urls import reverse
from ninja import Query, Router

from kizuki.incidents.access import access_incident
from kizuki.knowledge import access, queries
from kizuki.knowledge.schemas import (
    SearchPage,
    SearchQuery,
    SimilarList,
    hit_out,
    similar_out,
)

router = Router(tags=["knowledge"])

SIMILAR_MAX = 20


@router.get("/search", response=SearchPage)
def search(request: HttpRequest, params: Query[SearchQuery]) -> SearchPage:
    """Incidents, timeline notes, status updates and retrospectives holding every word of `q`
    (Japanese or English), best first; only what the caller may read."""
    user = access.access_search(request.user)
    filters = queries.SearchFilters(
        kind=params.kind,
        team=params.team,
        service=params.service,
        severity=params.severity,
        since=params.since,
        until=params.until,
    )
    results = queries.search(user, params.q, filters, page=params.page, page_size=params.page_size)
    return SearchPage(
        items=[hit_out(hit) for hit in results.hits],
        count=results.count,
        page=results.page,
        pages=results.pages,
    )


@router.get("/incidents/{ref}/similar", response=SimilarList)
def similar(request: HttpRequest, ref: str, limit: int = 5) -> SimilarList:
    """The most similar other incidents (by words, services, severity and team), each with
    its published retrospective when there is one."""
    user, incident = access_incident(request.user, ref)
    found = queries.similar_incidents(incident, min(max(limit, 1), SIMILAR_MAX), reader=user)
    items = [similar_out(s, reverse("incident-detail", args=[s.incident.ref])) for s in found]
    return SimilarList(items=items, count=len(items))
