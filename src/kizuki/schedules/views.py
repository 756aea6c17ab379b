"""Schedule pages. Each POST authorises, calls one action and redirects back."""

from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from kizuki.accounts.models import User
from kizuki.core import clock
from kizuki.core.access import allows
from kizuki.core.errors import CORRECTABLE, Conflict
from kizuki.schedules import actions, ical, queries
from kizuki.schedules.access import (
    Need,
    access_layer,
    access_override,
    access_person_calendar,
    access_schedule,
    can_edit_schedules,
    can_read_schedules,
)
from kizuki.schedules.actions import format_shift_length
from kizuki.schedules.forms import LayerForm, OverrideForm, ScheduleForm
from kizuki.schedules.models import Schedule
from kizuki.schedules.queries import PREVIEW
from kizuki.schedules.rotation import shifts


@login_required
def schedule_list(request: HttpRequest) -> HttpResponse:
    user = can_read_schedules(request.user)
    found = list(queries.schedules())
    on_call = queries.on_call_now(found, clock.now())
    rows = [(schedule, on_call[schedule.pk]) for schedule in found]
    # Shown here for lack of a page of one's own on-call: the schedules page is where
    # people look for their shifts.
    mine = actions.calendar_feed(person=user)
    return render(
        request,
        "schedules/schedule_list.html",
        {
            "rows": rows,
            "may_edit": allows(can_edit_schedules, user),
            "my_calendar_url": ical.subscription_url(mine),
        },
    )


@login_required
def schedule_new(request: HttpRequest) -> HttpResponse:
    user = can_edit_schedules(request.user)
    form = ScheduleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            schedule = actions.create_schedule(
                user, data["name"], data["time_zone"], [form.layer_input()], team=data["team"]
            )
        except CORRECTABLE as error:
            # A name already taken is the one conflict creating can meet.
            form.add_error("name" if isinstance(error, Conflict) else None, error.detail)
        else:
            messages.success(request, _("Schedule created."))
            return redirect("schedule-detail", schedule_id=schedule.pk)
    return render(request, "schedules/schedule_new.html", {"form": form})


@login_required
def schedule_detail(request: HttpRequest, schedule_id: int) -> HttpResponse:
    user, schedule = access_schedule(request.user, schedule_id)
    return _detail_page(request, user, schedule, OverrideForm())


def _detail_page(
    request: HttpRequest, user: User, schedule: Schedule, override_form: OverrideForm
) -> HttpResponse:
    now = clock.now()
    timeline = shifts(schedule, now, now + PREVIEW)
    context = {
        "schedule": schedule,
        "layers": [
            (layer, format_shift_length(layer.shift_seconds)) for layer in schedule.layers.all()
        ],
        "on_call": queries.on_call_now([schedule], now)[schedule.pk],
        "preview": timeline,
        "problems": queries.problems(schedule, now, now + PREVIEW),
        "overrides": queries.current_overrides(schedule, now),
        "override_form": override_form,
        "may_edit": allows(can_edit_schedules, user),
        "ical_url": reverse("api:schedule-ical", kwargs={"schedule_id": schedule.pk}),
        "my_ical_url": reverse("api:person-ical", kwargs={"username": request.user.get_username()}),
        "calendar_url": ical.subscription_url(actions.calendar_feed(schedule=schedule)),
    }
    return render(request, "schedules/schedule_detail.html", context)


@require_POST
@login_required
def add_override(request: HttpRequest, schedule_id: int) -> HttpResponse:
    user, schedule = access_schedule(request.user, schedule_id, Need.EDIT)
    form = OverrideForm(request.POST)
    # The page shows the schedule's local times, so the typed times are read in its zone.
    with timezone.override(ZoneInfo(schedule.time_zone)):
        valid = form.is_valid()
    if valid:
        data = form.cleaned_data
        try:
            actions.add_override(user, schedule, data["user"], data["starts_at"], data["ends_at"])
        except CORRECTABLE as error:
            # The one thing the action refuses that the form cannot see: the order of the times.
            form.add_error("ends_at", error.detail)
        else:
            messages.success(request, _("Override added."))
            return redirect("schedule-detail", schedule_id=schedule.pk)
    # Shown again with what was typed and the error beside its field.
    return _detail_page(request, user, schedule, form)


@require_POST
@login_required
def remove_override(request: HttpRequest, schedule_id: int, override_id: int) -> HttpResponse:
    user, override = access_override(request.user, schedule_id, override_id)
    actions.remove_override(user, override)
    messages.success(request, _("Override removed."))
    return redirect("schedule-detail", schedule_id=schedule_id)


@require_safe
def calendar_feed(_request: HttpRequest, token: str) -> HttpResponse:
    """What a calendar app fetches: no login, the secret in the address is the key."""
    owner = queries.calendar_owner(token)
    if isinstance(owner, Schedule):
        content = ical.schedule_calendar(owner)
    else:
        # The app fetching a person's feed does not know their language: use their setting.
        with translation.override(owner.language or translation.get_language()):
            content = ical.person_calendar(owner)
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="kizuki.ics"'
    # The address is the secret: keep it out of shared caches and other sites' logs.
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response


@require_POST
@login_required
def rotate_schedule_calendar(request: HttpRequest, schedule_id: int) -> HttpResponse:
    user, schedule = access_schedule(request.user, schedule_id, Need.EDIT)
    actions.rotate_calendar_feed(user, schedule=schedule)
    messages.success(request, _("New calendar address made; the old one no longer works."))
    return redirect("schedule-detail", schedule_id=schedule.pk)


@require_POST
@login_required
def rotate_my_calendar(request: HttpRequest) -> HttpResponse:
    user, person = access_person_calendar(request.user, request.user.get_username())
    actions.rotate_calendar_feed(user, person=person)
    messages.success(request, _("New calendar address made; the old one no longer works."))
    return redirect("schedule-list")


@login_required
def layer_new(request: HttpRequest, schedule_id: int) -> HttpResponse:
    user, schedule = access_schedule(request.user, schedule_id, Need.EDIT)
    form = LayerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.add_layer(user, schedule, form.layer_input())
        except CORRECTABLE as error:
            form.add_error(None, error.detail)
        else:
            messages.success(request, _("Layer added."))
            return redirect("schedule-detail", schedule_id=schedule.pk)
    return render(
        request, "schedules/layer_form.html", {"schedule": schedule, "form": form, "layer": None}
    )


@login_required
def layer_edit(request: HttpRequest, schedule_id: int, layer_id: int) -> HttpResponse:
    user, layer = access_layer(request.user, schedule_id, layer_id)
    form = LayerForm(request.POST) if request.method == "POST" else LayerForm.of(layer)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_layer(user, layer, form.layer_input())
        except CORRECTABLE as error:
            form.add_error(None, error.detail)
        else:
            messages.success(request, _("Layer saved."))
            return redirect("schedule-detail", schedule_id=schedule_id)
    context = {
        "schedule": layer.schedule,
        "form": form,
        "layer": layer,
        "last_layer": layer.schedule.layers.count() == 1,
    }
    return render(request, "schedules/layer_form.html", context)


@require_POST
@login_required
def layer_remove(request: HttpRequest, schedule_id: int, layer_id: int) -> HttpResponse:
    user, layer = access_layer(request.user, schedule_id, layer_id)
    actions.remove_layer(user, layer)
    if layer.schedule.layers.exists():
        messages.success(request, _("Layer removed."))
    else:
        messages.warning(
            request,
            _(
                "Layer removed. The schedule has no layers now: nobody is on call unless an"
                " override says so."
            ),
        )
    return redirect("schedule-detail", schedule_id=schedule_id)


@login_required
def schedule_delete(request: HttpRequest, schedule_id: int) -> HttpResponse:
    """A page that asks first (no script needed), then deletes, or says which policies stop it."""
    user, schedule = access_schedule(request.user, schedule_id, Need.EDIT)
    error = ""
    if request.method == "POST":
        try:
            actions.delete_schedule(user, schedule)
        except CORRECTABLE as refused:
            error = refused.detail
        else:
            messages.success(request, _("Schedule deleted."))
            return redirect("schedule-list")
    context = {
        "schedule": schedule,
        "policies": queries.policies_using(schedule),
        "error": error,
    }
    return render(request, "schedules/schedule_delete.html", context, status=409 if error else 200)
