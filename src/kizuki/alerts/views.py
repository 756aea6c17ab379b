"""Web pages for alert groups, the one-click acknowledge link and the SOS form. Each POST
authorises, calls one action and redirects. A service's alert setup is in setup_views."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kizuki.accounts.models import OrgRole, User
from kizuki.alerts import access, actions, links, queries
from kizuki.alerts.access import Need
from kizuki.alerts.forms import (
    GroupFilterForm,
    SilenceForm,
    SosForm,
)
from kizuki.alerts.models import AlertGroup, GroupStatus
from kizuki.core.errors import CORRECTABLE
from kizuki.core.htmx import HtmxHttpRequest, wants_partial
from kizuki.incidents.views import DashboardPage
from kizuki.oncall import actions as oncall_actions


def _form_errors(request: HttpRequest, form: Any) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            text = _("%(field)s: %(error)s") % {"field": label, "error": error} if label else error
            messages.error(request, text)


def _back(request: HttpRequest, group: AlertGroup) -> HttpResponse:
    """Return to the page the button was on (the list or the group), else the group."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(reverse("alert-group-detail", kwargs={"group_id": group.pk}))


@login_required
def group_list(request: HtmxHttpRequest) -> HttpResponse:
    access.can_read(request.user)
    form = GroupFilterForm(request.GET or None)
    criteria = queries.GroupFilter()
    if form.is_valid():
        service = form.cleaned_data["service"]
        criteria = queries.GroupFilter(
            status=form.cleaned_data["status"] or "", service=service.slug if service else ""
        )
    page = Paginator(queries.filter_groups(criteria), 50).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "silence_form": SilenceForm()}
    # The filter form, sent by htmx, gets just the list it swaps in.
    template = "alerts/_group_list.html" if wants_partial(request) else "alerts/list.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
def group_detail(request: HttpRequest, group_id: int) -> HttpResponse:
    _user, group = access.access_alert_group(request.user, group_id)
    context = {
        "group": group,
        "alerts": queries.alerts(group),
        "history": queries.escalation_history(group),
        "notifications": queries.notifications(group),
        "silence_form": SilenceForm(),
    }
    return render(request, "alerts/detail.html", context)


def _act(
    request: HttpRequest, group_id: int, need: Need, act: Callable[[User, AlertGroup], object]
) -> HttpResponse:
    user, group = access.access_alert_group(request.user, group_id, need)
    try:
        act(user, group)
    except CORRECTABLE as error:
        messages.error(request, error.detail)
    else:
        messages.success(request, _("Saved."))
    return _back(request, group)


@require_POST
@login_required
def acknowledge(request: HttpRequest, group_id: int) -> HttpResponse:
    return _act(request, group_id, Need.ACKNOWLEDGE, actions.acknowledge_group)


@require_POST
@login_required
def resolve(request: HttpRequest, group_id: int) -> HttpResponse:
    return _act(request, group_id, Need.RESPOND, actions.resolve_group)


@require_POST
@login_required
def silence(request: HttpRequest, group_id: int) -> HttpResponse:
    _user, group = access.access_alert_group(request.user, group_id, Need.RESPOND)
    form = SilenceForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return _back(request, group)

    def act(user: User, group: AlertGroup) -> object:
        return actions.silence_group(user, group, form.cleaned_data["minutes"])

    return _act(request, group_id, Need.RESPOND, act)


@login_required
def ack_link(request: HttpRequest, token: str) -> HttpResponse:
    """The link in a page. GET only shows a confirmation (mail scanners and link previews
    fetch links; they must not acknowledge); its button POSTs here and acknowledges."""
    group_id = links.group_from_ack_token(token)
    if request.method == "POST":
        return acknowledge(request, group_id)
    _user, group = access.access_alert_group(request.user, group_id)
    return render(request, "alerts/ack.html", {"group": group})


@login_required
def sos(request: HttpRequest) -> HttpResponse:
    user = access.can_raise_sos(request.user)
    form = SosForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            group = actions.raise_sos(
                user, form.cleaned_data["service"], form.cleaned_data["problem"]
            )
        except CORRECTABLE as error:
            form.add_error(None, error.detail)
        else:
            return redirect("sos-thanks", group_id=group.pk)
    return render(request, "alerts/sos.html", {"form": form})


@login_required
def sos_thanks(request: HttpRequest, group_id: int) -> HttpResponse:
    _user, group = access.access_alert_group(request.user, group_id)
    reached = oncall_actions.people_paged(group.escalation) if group.escalation else []
    contacts = [] if reached else oncall_actions.fallback_contacts()
    return render(
        request,
        "alerts/sos_thanks.html",
        {"group": group, "reached": reached, "contacts": contacts},
    )


DASHBOARD_FIRING_SHOWN = 5


def dashboard_panel(page: DashboardPage) -> tuple[str, dict[str, Any]] | None:
    """The alerts part of a responder's dashboard: the firing alert groups, newest first."""
    if not page.user.has_org_role(OrgRole.RESPONDER):
        return None
    firing = queries.filter_groups(queries.GroupFilter(status=GroupStatus.FIRING))
    return "alerts/_dashboard_panel.html", {
        "firing_groups": list(firing[:DASHBOARD_FIRING_SHOWN]),
        "firing_count": firing.count(),
    }
