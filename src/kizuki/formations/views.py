"""Web pages: the positions and checklists panel on an incident's page (fill positions, tick
items; plain form posts that htmx turns into in-place swaps) and the read-only list of
formations and checklist templates (/settings/formations/; admins edit them in the admin)."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kizuki.accounts.models import OrgRole, User
from kizuki.core.access import allows
from kizuki.core.errors import CORRECTABLE
from kizuki.core.htmx import HtmxHttpRequest, wants_partial
from kizuki.formations import access, actions, queries
from kizuki.formations.forms import HolderForm, TickForm
from kizuki.incidents import queries as incident_queries
from kizuki.incidents.views import IncidentPage

PANEL = "formations/_incident_panel.html"


def _panel_context(user: User, incident: Any) -> dict[str, Any] | None:
    positions = queries.positions_of(incident)
    checklists = queries.checklists_of(incident)
    if not positions and not checklists:
        return None
    can_change = not queries.is_finished(incident) and allows(access.check_change, user, incident)
    return {
        "incident": incident,
        "formation_positions": positions,
        "formation_unfilled": sum(1 for filled in positions if not filled.holders),
        "formation_checklists": [
            (checklist, sum(1 for item in checklist.items.all() if item.ticked_at))
            for checklist in checklists
        ],
        "formation_can_change": can_change,
        "formation_holder_form": HolderForm() if can_change else None,
    }


def incident_panel(page: IncidentPage) -> tuple[str, dict[str, Any]] | None:
    """The incident's positions (unfilled ones stand out) and checklists; nothing before the
    incident is declared."""
    context = _panel_context(page.user, page.incident)
    return None if context is None else (PANEL, context)


def _answer(
    request: HtmxHttpRequest, user: User, ref: str, anchor: str, error: str | None
) -> HttpResponse:
    """htmx gets the panel again (with the error in it); a plain form post goes back to the
    incident's page (with the error as a message)."""
    if wants_partial(request):
        incident = incident_queries.get_incident(ref)
        context = {**(_panel_context(user, incident) or {}), "formation_error": error}
        response = render(request, PANEL, context)  # htmx swaps only 2xx answers
        patch_vary_headers(response, ["HX-Request"])
        return response
    if error:
        messages.error(request, error)
    return redirect(reverse("incident-detail", args=[ref]) + anchor)


@login_required
@require_POST
def add_holder(request: HtmxHttpRequest, ref: str, position_id: int) -> HttpResponse:
    user, incident, filled = access.access_position(request.user, ref, position_id)
    form = HolderForm(request.POST)
    error = None
    if not form.is_valid():
        error = _("Choose a person from the list.")
    else:
        people = [*filled.holders, form.cleaned_data["user"]]
        if filled.single:
            people = [form.cleaned_data["user"]]  # the role is handed over
        try:
            actions.fill_position(user, incident, position_id, people)
        except CORRECTABLE as problem:
            error = problem.detail
    return _answer(request, user, incident.ref, "#positions", error)


@login_required
@require_POST
def remove_holder(
    request: HtmxHttpRequest, ref: str, position_id: int, username: str
) -> HttpResponse:
    user, incident, filled = access.access_position(request.user, ref, position_id)
    people = [person for person in filled.holders if person.username != username]
    error = None
    try:
        actions.fill_position(user, incident, position_id, people)
    except CORRECTABLE as problem:
        error = problem.detail
    return _answer(request, user, incident.ref, "#positions", error)


@login_required
@require_POST
def tick_item(request: HtmxHttpRequest, ref: str, checklist_id: int, item_id: int) -> HttpResponse:
    user, incident, item = access.access_item(request.user, ref, checklist_id, item_id)
    form = TickForm(request.POST)
    error = None
    if form.is_valid():
        try:
            actions.set_item(user, incident, item, bool(form.cleaned_data["ticked"]))
        except CORRECTABLE as problem:
            error = problem.detail
    else:
        error = _("Tick or untick the item.")
    return _answer(request, user, incident.ref, f"#checklist-{checklist_id}", error)


@login_required
def settings_page(request: HttpRequest) -> HttpResponse:
    """The formations (which severities pick each) and the checklist templates, read-only;
    admins get a link to edit them."""
    user = access.can_read(request.user)
    picks = queries.severity_formations()
    formations = [
        (formation, sorted(level for level, f in picks.items() if f.pk == formation.pk))
        for formation in queries.formations()
    ]
    context = {
        "formations": formations,
        "templates": list(queries.templates()),
        "is_admin": user.has_org_role(OrgRole.ADMIN),
    }
    return render(request, "formations/settings.html", context)
