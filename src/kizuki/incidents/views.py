"""Web pages: the dashboard, the list, reporting. The incident's own page is detail_views."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from kizuki.accounts.models import OrgRole, User
from kizuki.core import clock
from kizuki.core.errors import CORRECTABLE
from kizuki.core.htmx import HtmxHttpRequest, wants_partial
from kizuki.core.panels import Panels
from kizuki.incidents import access, actions, mobilisation, queries
from kizuki.incidents.forms import FilterForm, ReportForm
from kizuki.incidents.models import Incident
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


def duration(span: timedelta) -> str:
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
                elapsed=duration(now - (incident.declared_at or incident.reported_at)),
                next_update_at=due,
                next_update_in=duration(abs(due - now)) if due else "",
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
    page = Paginator(queries.triaged_open_incidents(user), queries.DASHBOARD_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context: dict[str, Any] = {
        "summary": queries.open_summary(user),
        "untriaged": _rows(queries.untriaged_reports(user), now),
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
    user = access.can_read(request.user)
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
    page = Paginator(queries.filter_incidents(criteria, viewer=user), 50).get_page(
        request.GET.get("page")
    )
    page.object_list = queries.with_details(page.object_list)
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
                is_drill=form.cleaned_data["is_drill"],
                impact_scope=form.cleaned_data["impact_scope"],
                impact_effect=form.cleaned_data["impact_effect"],
                private=form.cleaned_data["private"],
            )
        except CORRECTABLE as error:
            form.add_error(None, error.detail)
        else:
            return redirect("incident-thanks", ref=incident.ref)
    context = {"form": form, "severity_thresholds": queries.severities()}
    return render(request, "incidents/report.html", context)


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
