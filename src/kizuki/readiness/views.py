"""The readiness page (/readiness/): a team's gaps with links to fix each, its last drill and
test page, the read-throughs before the coming peak periods with who read them; admins write
read-throughs and the break-reminder settings there."""

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
from kizuki.core import clock
from kizuki.core.errors import CORRECTABLE
from kizuki.drills import queries as drill_queries
from kizuki.readiness import access, actions, care_queries, queries
from kizuki.readiness.forms import CareForm, ReadThroughForm, TeamForm


def _page(
    request: HttpRequest, user: User, bound: dict[str, forms.Form], status: int = 200
) -> HttpResponse:
    picker = TeamForm(request.GET or None)
    if "team" in request.GET and picker.is_valid():
        team = picker.cleaned_data["team"]
    else:
        team = queries.team_of(user)
        picker = TeamForm(initial={"team": team.slug if team else None})
    now = clock.now()
    found = queries.readiness(team, now, user)
    is_admin = user.has_org_role(OrgRole.ADMIN)
    upcoming = queries.upcoming_read_throughs(team, now.date())
    context: dict[str, Any] = {
        "picker": picker,
        "team": team,
        "readiness": found,
        "seconds_to_acknowledge": drill_queries.seconds_to_acknowledge(found.last_test_page)
        if found.last_test_page
        else None,
        "read_throughs": [(state, state.has_read(user)) for state in upcoming],
        "is_admin": is_admin,
        "read_through_form": (
            bound.get("read_through")
            or ReadThroughForm(initial={"team": team.slug if team else None})
        )
        if is_admin
        else None,
        "read_through_open": "read_through" in bound,
        "care_form": (bound.get("care") or CareForm()) if is_admin else None,
        "care_open": "care" in bound,
        "care_settings": list(care_queries.care_settings()),
        "default_after": care_queries.DEFAULT_AFTER_MINUTES,
        "default_every": care_queries.DEFAULT_EVERY_MINUTES,
    }
    return render(request, "readiness/page.html", context, status=status)


@login_required
def readiness_page(request: HttpRequest) -> HttpResponse:
    user = access.can_read(request.user)
    return _page(request, user, {})


@login_required
@require_POST
def mark_read(request: HttpRequest, read_through_id: int) -> HttpResponse:
    user, item = access.access_read_through(request.user, read_through_id)
    actions.mark_read(user, item)
    messages.success(request, _("Marked as read: %(name)s.") % {"name": item.name})
    back = reverse("readiness")
    if item.team is not None:
        back += f"?team={item.team.slug}"
    return redirect(back + f"#read-through-{item.pk}")


@login_required
@require_POST
def create_read_through(request: HttpRequest) -> HttpResponse:
    user = access.can_manage(request.user)
    form = ReadThroughForm(request.POST)
    if form.is_valid():
        try:
            item = actions.create_read_through(user, **form.fields_for_action())
        except CORRECTABLE as error:
            form.add_error(None, error.detail)
        else:
            messages.success(request, _("Read-through %(name)s added.") % {"name": item.name})
            back = reverse("readiness")
            if item.team is not None:
                back += f"?team={item.team.slug}"
            return redirect(back + f"#read-through-{item.pk}")
    return _page(request, user, {"read_through": form}, status=400)


@login_required
@require_POST
def set_care(request: HttpRequest) -> HttpResponse:
    user = access.can_manage(request.user)
    form = CareForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.set_care(
                user,
                severity=data["severity"].level if data["severity"] else None,
                enabled=data["enabled"],
                after_minutes=data["after_minutes"],
                every_minutes=data["every_minutes"],
            )
        except CORRECTABLE as error:
            form.add_error(None, error.detail)
        else:
            messages.success(request, _("Break reminders saved."))
            return redirect(reverse("readiness") + "#care")
    return _page(request, user, {"care": form}, status=400)
