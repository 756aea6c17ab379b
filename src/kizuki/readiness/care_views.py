"""The "Looking after responders" panel on an incident's page (break reminders, the proposed
hand-off of the commander role, today's must-dos) and the forms it posts."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from kizuki.core import clock
from kizuki.core.access import allows
from kizuki.core.errors import CORRECTABLE
from kizuki.incidents import queries as incident_queries
from kizuki.incidents.views import IncidentPage, duration
from kizuki.readiness import access, care_actions, care_queries
from kizuki.readiness.forms import HandoffForm, MoveForm, WorkItemChangeForm, WorkItemForm

ANCHOR = "#looking-after"


def _back(ref: str) -> HttpResponse:
    return redirect(reverse("incident-detail", args=[ref]) + ANCHOR)


def incident_panel(page: IncidentPage) -> tuple[str, dict[str, Any]] | None:
    """While the incident is open: how long it runs, the break reminders sent and when the next
    is due; once it is long, whom to hand the commander role to; the work list for today."""
    incident = page.incident
    items = care_queries.work_items(incident)
    is_open = care_queries.is_open(incident)
    if not is_open and not items:
        return None
    now = clock.now()
    care = care_queries.care_for(incident.severity)
    long = care_queries.is_long(incident, now)
    proposal = care_queries.handoff(incident, now) if long and is_open else None
    can_command = is_open and allows(access.check_command, page.user, incident)
    reminders = care_queries.reminders(incident)
    return "readiness/_incident_panel.html", {
        "care": care,
        "care_running_for": duration(now - care_queries.started_at(incident)),
        "care_next_at": care_queries.next_reminder_at(incident, care, now) if is_open else None,
        "care_last": reminders[-1] if reminders else None,
        "care_long": long and is_open,
        "care_proposal": proposal,
        "care_commanded": long and incident_queries.commander(incident) is not None,
        "care_can_command": can_command,
        "care_today": [item for item in items if item.today and item.followup_id is None],
        "care_rest": [item for item in items if not item.today and item.followup_id is None],
        "care_moved": [item for item in items if item.followup_id is not None],
        "care_item_form": WorkItemForm() if can_command else None,
        "care_move_form": MoveForm() if can_command else None,
        "care_handoff_form": HandoffForm(
            initial={"user": proposal.user.username if proposal else None}
        )
        if can_command and long
        else None,
    }


@login_required
@require_POST
def hand_over(request: HttpRequest, ref: str) -> HttpResponse:
    user, incident = access.access_command(request.user, ref)
    form = HandoffForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a person from the list."))
        return _back(incident.ref)
    try:
        care_actions.hand_over(user, incident, form.cleaned_data["user"])
    except CORRECTABLE as error:
        messages.error(request, error.detail)
    else:
        messages.success(request, _("The commander role was handed over."))
    return _back(incident.ref)


@login_required
@require_POST
def add_work_item(request: HttpRequest, ref: str) -> HttpResponse:
    user, incident = access.access_command(request.user, ref)
    form = WorkItemForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write what is to be done (at most 200 characters)."))
        return _back(incident.ref)
    try:
        care_actions.add_work_item(
            user, incident, form.cleaned_data["text"], today=form.cleaned_data["today"]
        )
    except CORRECTABLE as error:
        messages.error(request, error.detail)
    return _back(incident.ref)


@login_required
@require_POST
def change_work_item(request: HttpRequest, ref: str, item_id: int) -> HttpResponse:
    user, item = access.access_work_item(request.user, ref, item_id)
    form = WorkItemChangeForm(request.POST)
    if form.is_valid():
        changes = {k: v for k, v in form.cleaned_data.items() if v is not None}
        try:
            care_actions.update_work_item(user, item, changes)
        except CORRECTABLE as error:
            messages.error(request, error.detail)
    return _back(ref)


@login_required
@require_POST
def move_to_followups(request: HttpRequest, ref: str) -> HttpResponse:
    user, incident = access.access_command(request.user, ref)
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the due date as a day."))
        return _back(incident.ref)
    try:
        moved = care_actions.move_rest_to_followups(user, incident, form.cleaned_data["due_date"])
    except CORRECTABLE as error:
        messages.error(request, error.detail)
    else:
        text = ngettext(
            "%(count)s item moved to follow-ups.",
            "%(count)s items moved to follow-ups.",
            len(moved),
        )
        messages.success(request, text % {"count": len(moved)})
    return _back(incident.ref)
