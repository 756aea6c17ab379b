"""Web pages: the response areas settings page (/settings/areas/: admins edit areas, everyone
reads them and records their own absences) and the area-leads panel on an incident's page."""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kizuki.accounts.models import OrgRole, User
from kizuki.areas import access, actions, queries
from kizuki.areas.forms import AbsenceForm, AreaForm, LeadForm, NewAreaForm
from kizuki.areas.models import MAX_DEPUTIES, ResponseArea
from kizuki.core import clock
from kizuki.core.access import allows
from kizuki.core.errors import CORRECTABLE
from kizuki.incidents.views import IncidentPage


def _initial(area: ResponseArea) -> dict[str, Any]:
    deputies = queries.deputies_of(area)
    initial: dict[str, Any] = {
        "owner": area.owner.username if area.owner else None,
        "team": area.team.slug if area.team else None,
        "name_ja": area.name_ja,
        "name_en": area.name_en,
        "description_ja": area.description_ja,
        "description_en": area.description_en,
        "position": area.position,
    }
    for rank in range(1, MAX_DEPUTIES + 1):
        initial[f"deputy_{rank}"] = deputies[rank - 1].username if len(deputies) >= rank else None
    return initial


def _page(
    request: HttpRequest, user: User, bound: dict[str, forms.Form], status: int = 200
) -> HttpResponse:
    """The settings page; `bound` are forms sent back with their errors ("area-<id>", "new",
    "absence"), opened and keeping what was typed."""
    is_admin = user.has_org_role(OrgRole.ADMIN)
    now = clock.now()
    rows = []
    for lead in queries.leads_at(now):
        key = f"area-{lead.area.pk}"
        form = bound.get(key) or (
            AreaForm(initial=_initial(lead.area), prefix=key) if is_admin else None
        )
        rows.append({"area": lead.area, "lead": lead, "form": form, "open": key in bound})
    absence_form = bound.get("absence") or AbsenceForm(initial={"user": user.username})
    if not is_admin:
        absence_form.fields["user"].widget = forms.HiddenInput()
    current = list(queries.absences(current_at=now))
    context = {
        "rows": rows,
        "is_admin": is_admin,
        "new_form": (bound.get("new") or NewAreaForm(prefix="new")) if is_admin else None,
        "new_open": "new" in bound,
        "absence_form": absence_form,
        "absence_open": "absence" in bound,
        "absences": [
            (absence, allows(access.check_absence_for, user, absence.user)) for absence in current
        ],
        "max_deputies": MAX_DEPUTIES,
        "now": now,
    }
    return render(request, "areas/settings.html", context, status=status)


@login_required
def settings_page(request: HttpRequest) -> HttpResponse:
    user = access.can_read(request.user)
    return _page(request, user, {})


@login_required
@require_POST
def create_area(request: HttpRequest) -> HttpResponse:
    user = access.can_manage(request.user)  # refused before the form is read
    form = NewAreaForm(request.POST, prefix="new")
    if form.is_valid():
        try:
            area = actions.create_area(user, form.changes())
        except CORRECTABLE as error:
            form.add_error(None, error.detail)
        else:
            messages.success(request, _("Area %(name)s added.") % {"name": area.name})
            return redirect("areas-settings")
    return _page(request, user, {"new": form}, status=400)


@login_required
@require_POST
def edit_area(request: HttpRequest, area_id: int) -> HttpResponse:
    user, area = access.access_area(request.user, area_id, access.Need.CHANGE)
    key = f"area-{area.pk}"
    form = AreaForm(request.POST, prefix=key)
    if form.is_valid():
        try:
            area = actions.update_area(user, area, form.changes())
        except CORRECTABLE as error:
            form.add_error(None, error.detail)
        else:
            messages.success(request, _("Area %(name)s saved.") % {"name": area.name})
            return redirect(reverse("areas-settings") + f"#{key}")
    return _page(request, user, {key: form}, status=400)


@login_required
@require_POST
def add_absence(request: HttpRequest) -> HttpResponse:
    user = access.can_read(request.user)
    form = AbsenceForm(request.POST)
    if form.is_valid():
        try:
            chosen = form.cleaned_data["user"]
            actor, absentee = access.can_add_absence(user, chosen.username if chosen else None)
            actions.add_absence(
                actor,
                absentee,
                form.cleaned_data["starts_at"],
                form.cleaned_data["ends_at"],
                form.cleaned_data["note"],
            )
        except CORRECTABLE as error:
            form.add_error(None, error.detail)
        else:
            messages.success(request, _("Absence recorded."))
            return redirect(reverse("areas-settings") + "#absences")
    return _page(request, user, {"absence": form}, status=400)


@login_required
@require_POST
def remove_absence(request: HttpRequest, absence_id: int) -> HttpResponse:
    user, absence = access.access_absence(request.user, absence_id, access.Need.CHANGE)
    actions.remove_absence(user, absence)
    messages.success(request, _("Absence removed."))
    return redirect(reverse("areas-settings") + "#absences")


@login_required
@require_POST
def change_lead(request: HttpRequest, ref: str, area_id: int) -> HttpResponse:
    user, area_lead = access.access_area_lead(request.user, ref, area_id)
    form = LeadForm(request.POST)
    target = reverse("incident-detail", args=[ref]) + "#area-leads"
    if not form.is_valid():
        messages.error(request, _("Choose a person from the list."))
        return redirect(target)
    try:
        actions.change_lead(user, area_lead, form.cleaned_data["user"])
    except CORRECTABLE as error:
        messages.error(request, error.detail)
    else:
        messages.success(request, _("Area lead changed."))
    return redirect(target)


def incident_panel(page: IncidentPage) -> tuple[str, dict[str, Any]] | None:
    """Who leads each area on the incident (proposed on declaration), each with the chain
    considered; the commander may name someone else. Nothing before declaration."""
    leads = queries.leads_of(page.incident)
    if not leads:
        return None
    can_change = not queries.is_finished(page.incident) and allows(
        access.check_lead_change, page.user, page.incident
    )
    people = {step["username"] for lead in leads for step in lead.chain}
    names = {
        person.username: person.get_full_name() or person.username
        for person in queries.people().filter(username__in=people)
    }
    rows = [
        {
            "lead": lead,
            "chain": [
                {**step, "name": names.get(step["username"], step["username"])}
                for step in lead.chain
            ],
            "form": LeadForm(initial={"user": lead.lead.username if lead.lead else None})
            if can_change
            else None,
        }
        for lead in leads
    ]
    return "areas/_incident_panel.html", {"area_lead_rows": rows}
