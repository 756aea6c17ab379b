"""The shift calendar page, and taking or swapping one of its shifts (each an override over
exactly that shift)."""

from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from kizuki.core import clock
from kizuki.core.access import allows
from kizuki.core.errors import CORRECTABLE
from kizuki.schedules import actions, shift_calendar
from kizuki.schedules.access import Need, access_schedule, can_edit_schedules, check_take
from kizuki.schedules.forms import ShiftForm, SwapForm
from kizuki.schedules.models import Schedule


@require_safe
@login_required
def schedule_calendar(request: HttpRequest, schedule_id: int) -> HttpResponse:
    user, schedule = access_schedule(request.user, schedule_id)
    now = clock.now()
    view = request.GET.get("view", shift_calendar.WEEK)
    today = now.astimezone(ZoneInfo(schedule.time_zone)).date()
    anchor = shift_calendar.read_anchor(request.GET.get("date"), today)
    period = shift_calendar.period(schedule, view, anchor, now)
    context = {
        "schedule": schedule,
        "period": period,
        "may_take": allows(check_take, user, schedule),
        "may_edit": allows(can_edit_schedules, user),
        "viewer": user,
    }
    return render(request, "schedules/schedule_calendar.html", context)


def _back_to_calendar(schedule: Schedule, form: ShiftForm, view: str) -> str:
    """The calendar page the shift was on: its view, at the shift's local day."""
    query = {"view": view if view in shift_calendar.VIEWS else shift_calendar.WEEK}
    starts_at = form.cleaned_data.get("starts_at") if form.is_bound and form.is_valid() else None
    if starts_at is not None:
        query["date"] = starts_at.astimezone(ZoneInfo(schedule.time_zone)).date().isoformat()
    return reverse("schedule-calendar", args=[schedule.pk]) + "?" + urlencode(query)


@require_POST
@login_required
def take_shift(request: HttpRequest, schedule_id: int) -> HttpResponse:
    """The viewer goes on call for the shift: an override in their name over its span."""
    user, schedule = access_schedule(request.user, schedule_id, Need.TAKE)
    form = ShiftForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("That shift could not be read. Look again."))
    else:
        data = form.cleaned_data
        try:
            actions.cover_shift(user, schedule, user, data["starts_at"], data["ends_at"])
        except CORRECTABLE as error:
            messages.error(request, error.detail)
        else:
            messages.success(request, _("You are on call for this shift now."))
    return redirect(_back_to_calendar(schedule, form, request.POST.get("view", "")))


@login_required
def swap_shift(request: HttpRequest, schedule_id: int) -> HttpResponse:
    """Give a shift to someone else: a page to pick them, then an override in their name."""
    user, schedule = access_schedule(request.user, schedule_id, Need.EDIT)
    shown = ShiftForm(request.POST if request.method == "POST" else request.GET)
    shift = None
    if shown.is_valid():
        data = shown.cleaned_data
        shift = shift_calendar.find_shift(schedule, data["starts_at"], data["ends_at"])
    view = (request.POST if request.method == "POST" else request.GET).get("view", "")
    form = SwapForm(request.POST or None, initial=request.GET.dict())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.cover_shift(user, schedule, data["user"], data["starts_at"], data["ends_at"])
        except CORRECTABLE as error:
            form.add_error("user", error.detail)
        else:
            messages.success(
                request,
                _("%(user)s is on call for this shift now.") % {"user": data["user"].username},
            )
            return redirect(_back_to_calendar(schedule, form, view))
    context = {
        "schedule": schedule,
        "shift": shift,
        "form": form,
        "view": view,
        "back": _back_to_calendar(schedule, shown, view),
    }
    missing = shift is None and request.method != "POST"
    return render(request, "schedules/shift_swap.html", context, status=404 if missing else 200)
