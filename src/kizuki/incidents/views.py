"""Web pages. Each POST authorises, calls one action and redirects back to the incident."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kizuki.accounts.models import OrgRole, User
from kizuki.catalog.queries import CHANGES_BEFORE_HOURS, changes_before
from kizuki.core import clock
from kizuki.core.access import allows
from kizuki.core.errors import CORRECTABLE
from kizuki.core.htmx import HtmxHttpRequest, wants_partial
from kizuki.core.panels import Panels
from kizuki.incidents import access, actions, mobilisation, queries, timeline_actions
from kizuki.incidents.access import Need
from kizuki.incidents.forms import (
    FilterForm,
    ImpactForm,
    ReportForm,
    RoleForm,
    StatusUpdateForm,
    TimelineForm,
    TransitionForm,
)
from kizuki.incidents.lifecycle import TRANSITION_LABELS, allowed_transitions
from kizuki.incidents.models import Audience, Incident
from kizuki.incidents.timeline_text import describe
from kizuki.oncall import actions as oncall_actions
from kizuki.schedules import queries as schedule_queries


@dataclass(frozen=True)
class IncidentPage:
    """What a panel on an incident's page is given: the request, the reader (allowed to read
    the incident) and the incident."""

    request: HttpRequest
    user: User
    incident: Incident


# Higher apps (retrospectives, similar incidents, ...) add parts to the incident's page from
# AppConfig.ready(): main_panels under the timeline, side_panels in the side column.
main_panels: Panels[IncidentPage] = Panels()
side_panels: Panels[IncidentPage] = Panels()


@dataclass(frozen=True)
class DashboardPage:
    """What a panel on the dashboard is given: the request and the reader (at least a viewer)."""

    request: HttpRequest
    user: User


# Higher apps (alerts: the firing alert groups) add parts to a responder's dashboard.
dashboard_panels: Panels[DashboardPage] = Panels()


def _duration(span: timedelta) -> str:
    """A short, translated length of time: "3 d 4 h", "2 h 05 min", "12 min"."""
    minutes = max(int(span.total_seconds() // 60), 0)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return _("%(days)d d %(hours)d h") % {"days": days, "hours": hours}
    if hours:
        return _("%(hours)d h %(minutes)02d min") % {"hours": hours, "minutes": minutes}
    return _("%(minutes)d min") % {"minutes": minutes}


@dataclass(frozen=True)
class DashboardRow:
    incident: Incident
    commander: User | None
    elapsed: str
    next_update_at: datetime | None
    next_update_in: str
    overdue: bool
    due_now: bool


def _rows(incidents: list[Incident], now: datetime) -> list[DashboardRow]:
    rows = []
    for incident in incidents:
        commanders = getattr(incident, "commanders", [])
        due = queries.next_update_due(incident)
        rows.append(
            DashboardRow(
                incident=incident,
                commander=commanders[0].user if commanders else None,
                elapsed=_duration(now - (incident.declared_at or incident.reported_at)),
                next_update_at=due,
                next_update_in=_duration(abs(due - now)) if due else "",
                overdue=due is not None and due <= now,
                due_now=due is not None and abs(due - now) < timedelta(minutes=1),
            )
        )
    return rows


@login_required
def dashboard(request: HtmxHttpRequest) -> HttpResponse:
    """What is going on now, in a fixed number of queries however many incidents are open:
    counts for all of them, rows for the untriaged reports and one page of the rest."""
    user = access.can_read(request.user)
    now = clock.now()
    responder = user.has_org_role(OrgRole.RESPONDER)
    page = Paginator(queries.triaged_open_incidents(), queries.DASHBOARD_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context: dict[str, Any] = {
        "summary": queries.open_summary(),
        "untriaged": _rows(queries.untriaged_reports(), now),
        "page": page,
        "rows": _rows(list(page.object_list), now),
        "responder": responder,
        "now": now,
    }
    if responder:
        found = list(schedule_queries.schedules())
        people = schedule_queries.on_call_now(found, now) if found else {}
        context["on_call"] = [(s, people.get(s.pk, [])) for s in found]
        context["my_roles"] = queries.my_open_roles(user)
    dashboard_panels.fill(DashboardPage(request, user), context)
    # The page's own poll (htmx) gets just the live part.
    partial = wants_partial(request)
    template = "incidents/_open_lists.html" if partial else "incidents/dashboard.html"
    response = render(request, template, context)
    # One URL, two bodies: caches (and the back button) must keep them apart.
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
def incident_list(request: HttpRequest) -> HttpResponse:
    access.can_read(request.user)
    form = FilterForm(request.GET or None)
    criteria = queries.IncidentFilter()
    if form.is_valid():
        data = form.cleaned_data
        criteria = queries.IncidentFilter(
            status=data["status"] or "",
            severity=data["severity"].level if data["severity"] else None,
            team=data["team"].slug if data["team"] else "",
            service=data["service"].slug if data["service"] else "",
            text=data["text"],
        )
    page = Paginator(queries.filter_incidents(criteria), 50).get_page(request.GET.get("page"))
    return render(request, "incidents/list.html", {"form": form, "page": page})


@login_required
def report(request: HttpRequest) -> HttpResponse:
    user = access.can_report(request.user)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            incident = actions.report_incident(
                user,
                form.cleaned_data["title"],
                form.cleaned_data["description"],
                services=list(form.cleaned_data["services"]),
            )
        except CORRECTABLE as error:
            form.add_error(None, error.detail)
        else:
            return redirect("incident-thanks", ref=incident.ref)
    return render(request, "incidents/report.html", {"form": form})


@login_required
def thanks(request: HttpRequest, ref: str) -> HttpResponse:
    _user, incident = access.access_incident(request.user, ref)
    reached = mobilisation.people_reached(incident)
    contacts = [] if reached or incident.is_drill else oncall_actions.fallback_contacts()
    return render(
        request,
        "incidents/thanks.html",
        {"incident": incident, "reached": reached, "contacts": contacts},
    )


@login_required
def detail(request: HtmxHttpRequest, ref: str) -> HttpResponse:
    user, incident = access.access_incident(request.user, ref)
    impact = ImpactForm(
        initial={field: getattr(incident, field) for field in ImpactForm.base_fields}
    )
    entries = [(entry, describe(entry)) for entry in queries.timeline(incident)]
    transitions = [(t, TRANSITION_LABELS[t]) for t in allowed_transitions(incident.status)]
    context = {
        "incident": incident,
        "roles": queries.active_roles(incident),
        "latest": queries.latest_status_update(incident),
        "timeline": entries,
        "transitions": transitions,
        "transition_form": TransitionForm(),
        "role_form": RoleForm(),
        # Both forms have a `text` field: distinct ids keep each <label for> on its own box.
        "timeline_form": TimelineForm(auto_id="id_timeline_%s"),
        "status_form": StatusUpdateForm(auto_id="id_status_%s"),
        "impact_form": impact,
        "can_respond": allows(access.check_incident, user, incident, Need.RESPOND),
        "can_add_note": allows(access.check_incident, user, incident, Need.NOTE),
        # What changed on its services before this broke (from senders' change events).
        "changes": changes_before(
            incident.services.all(), incident.impact_started_at or incident.reported_at
        ),
        "changes_hours": CHANGES_BEFORE_HOURS,
    }
    page = IncidentPage(request, user, incident)
    main: dict[str, Any] = {}
    side: dict[str, Any] = {}
    main_panels.fill(page, main)
    side_panels.fill(page, side)
    context.update(main | side, main_panels=main["panels"], side_panels=side["panels"])
    if wants_partial(request):
        # The header's poll: the read-only parts, plus the actions once the status moved on.
        context["status_changed"] = request.GET.get("seen") != incident.status
        response = render(request, "incidents/_live.html", context)
    else:
        response = render(request, "incidents/detail.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _act(
    request: HttpRequest,
    ref: str,
    need: Need,
    form_class: type[Any],
    act: Callable[[User, Incident, dict[str, Any]], object],
) -> HttpResponse:
    """Authorise, validate the form, run the action, and come back to the incident with a
    message. A refusal is a 403 page (raised before the form is looked at), not a message."""
    user, incident = access.access_incident(request.user, ref, need)
    form = form_class(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                text = (
                    _("%(field)s: %(error)s") % {"field": label, "error": error} if label else error
                )
                messages.error(request, text)
    else:
        try:
            act(user, incident, form.cleaned_data)
        except CORRECTABLE as error:
            messages.error(request, error.detail)
        else:
            messages.success(request, _("Saved."))
    return redirect(reverse("incident-detail", kwargs={"ref": incident.ref}))


@require_POST
@login_required
def transition(request: HttpRequest, ref: str) -> HttpResponse:
    def act(user: User, incident: Incident, data: dict[str, Any]) -> object:
        severity = data["severity"].level if data["severity"] else None
        return actions.transition(user, incident, data["to"], severity=severity, note=data["note"])

    return _act(request, ref, Need.RESPOND, TransitionForm, act)


@require_POST
@login_required
def assign_role(request: HttpRequest, ref: str) -> HttpResponse:
    def act(user: User, incident: Incident, data: dict[str, Any]) -> object:
        return actions.assign_role(user, incident, data["role"].slug, data["user"])

    return _act(request, ref, Need.RESPOND, RoleForm, act)


@require_POST
@login_required
def add_timeline_entry(request: HttpRequest, ref: str) -> HttpResponse:
    def act(user: User, incident: Incident, data: dict[str, Any]) -> object:
        return timeline_actions.add_timeline_entry(
            user, incident, data["text"], data["occurred_at"]
        )

    return _act(request, ref, Need.NOTE, TimelineForm, act)


@require_POST
@login_required
def post_status_update(request: HttpRequest, ref: str) -> HttpResponse:
    def act(user: User, incident: Incident, data: dict[str, Any]) -> object:
        return timeline_actions.post_status_update(
            user,
            incident,
            data["text"],
            data["next_update_at"],
            audience=data["audience"] or Audience.INTERNAL,
            plain_text=data["plain_text"],
        )

    return _act(request, ref, Need.RESPOND, StatusUpdateForm, act)


@require_POST
@login_required
def edit_impact(request: HttpRequest, ref: str) -> HttpResponse:
    def act(user: User, incident: Incident, data: dict[str, Any]) -> object:
        return actions.update_incident(user, incident, data)

    return _act(request, ref, Need.RESPOND, ImpactForm, act)
