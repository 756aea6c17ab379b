"""Web pages: the search results (the header's box leads here) and the similar incidents on
an incident's page."""

from typing import Any, cast

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers

from kizuki.core.errors import CORRECTABLE
from kizuki.core.htmx import HtmxHttpRequest, wants_partial
from kizuki.incidents.views import IncidentPage
from kizuki.knowledge import access, queries
from kizuki.knowledge.forms import SearchForm

SIMILAR_SHOWN = 5


@login_required
def search(request: HtmxHttpRequest) -> HttpResponse:
    user = access.access_search(request.user)
    form = SearchForm(request.GET)
    context: dict[str, Any] = {"form": form, "results": None, "error": ""}
    if form.is_valid() and form.cleaned_data["q"].strip():
        try:
            page = int(request.GET.get("page", "1"))
        except ValueError:
            page = 1
        try:
            context["results"] = queries.search(
                user, form.cleaned_data["q"], form.filters(), page=min(max(page, 1), 10_000)
            )
        except CORRECTABLE as error:
            context["error"] = error.detail
    params = request.GET.copy()
    params.pop("page", None)
    context["params"] = params.urlencode()
    if wants_partial(request):
        response = render(request, "knowledge/_results.html", context)
    else:
        response = render(request, "knowledge/search.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def similar_panel(page: IncidentPage) -> tuple[str, dict[str, Any]] | None:
    """The incident page's side panel: the most similar other incidents. Not for the page's
    live refresh (which shows only the header, status and timeline)."""
    if wants_partial(cast(HtmxHttpRequest, page.request)):
        return None
    found = queries.similar_incidents(page.incident, SIMILAR_SHOWN, reader=page.user)
    if not found:
        return None
    return "knowledge/_similar.html", {"similar_incidents": found}
