"""Web pages for the service catalogue: the list (admins add services there) and a service's
page. Higher apps put their parts on a service's page (alerts: integrations and routing
rules) through service_panels, since the catalogue may not import them."""

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kizuki.accounts.models import User
from kizuki.catalog import access, actions, queries
from kizuki.catalog.access import Need, check_service
from kizuki.catalog.forms import ServiceForm, ServicePolicyForm
from kizuki.catalog.models import Service
from kizuki.core.access import allows
from kizuki.core.errors import CORRECTABLE
from kizuki.core.panels import Panels


@dataclass(frozen=True)
class ServicePage:
    """What a panel is given: the request, the service, and what the page was asked to show
    (e.g. a form with its errors)."""

    request: HttpRequest
    service: Service
    extra: dict[str, Any]


# Higher apps add theirs from AppConfig.ready() (see core.panels).
service_panels: Panels[ServicePage] = Panels()


@login_required
def service_list(request: HttpRequest) -> HttpResponse:
    form = ServiceForm(request.POST or None)
    if request.method != "POST":
        access.can_read(request.user)
    else:
        user = access.can_create_service(request.user)
        if form.is_valid():
            try:
                service = actions.register_service(
                    user,
                    form.cleaned_data["name"],
                    team=form.cleaned_data["team"],
                    escalation_policy=form.cleaned_data["escalation_policy"],
                )
            except CORRECTABLE as error:
                form.add_error(None, error.detail)
            else:
                return redirect("service-detail", service_id=service.pk)
    context = {"services": list(queries.services()), "form": form}
    return render(request, "catalog/services.html", context)


def service_page(request: HttpRequest, service: Service, **extra: Any) -> HttpResponse:
    """The service's page with every panel; `extra` goes to the panels. The caller has
    fetched the service through access_service."""
    context: dict[str, Any] = {"service": service}
    user = request.user
    if isinstance(user, User) and allows(check_service, user, service, Need.CHANGE):
        initial = {"escalation_policy": service.escalation_policy_id}
        context["policy_form"] = extra.get("policy_form") or ServicePolicyForm(initial=initial)
    service_panels.fill(ServicePage(request, service, extra), context)
    return render(request, "catalog/service.html", context)


@login_required
def service_detail(request: HttpRequest, service_id: int) -> HttpResponse:
    _user, service = access.access_service(request.user, service_id)
    return service_page(request, service)


@require_POST
@login_required
def set_policy(request: HttpRequest, service_id: int) -> HttpResponse:
    """Choose (or clear) who is paged for the service's alerts."""
    user, service = access.access_service(request.user, service_id, Need.CHANGE)
    form = ServicePolicyForm(request.POST)
    if not form.is_valid():
        return service_page(request, service, policy_form=form)
    try:
        actions.update_service(
            user, service, {"escalation_policy": form.cleaned_data["escalation_policy"]}
        )
    except CORRECTABLE as error:
        form.add_error(None, error.detail)
        return service_page(request, service, policy_form=form)
    messages.success(request, _("Escalation policy saved."))
    return redirect("service-detail", service_id=service.pk)
