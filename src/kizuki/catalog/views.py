"""Web pages for the service catalogue: the list (admins add services there) and a service's
page. Higher apps put their parts on a service's page (alerts: integrations and routing
rules) through add_panel, since the catalogue may not import them."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from kizuki.catalog import access, actions, queries
from kizuki.catalog.forms import ServiceForm
from kizuki.catalog.models import Service
from kizuki.core.errors import DomainError


@dataclass(frozen=True)
class ServicePage:
    """What a panel is given: the request, the service, and what the page was asked to show
    (e.g. a form with its errors)."""

    request: HttpRequest
    service: Service
    extra: dict[str, Any]


# A panel answers with its template and that template's context.
Panel = Callable[[ServicePage], tuple[str, dict[str, Any]]]
_panels: list[Panel] = []


def add_panel(panel: Panel) -> None:
    """Called from a higher app's AppConfig.ready(); panels show in the order added."""
    if panel not in _panels:
        _panels.append(panel)


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
            except DomainError as error:
                form.add_error(None, error.detail)
            else:
                return redirect("service-detail", service_id=service.pk)
    context = {"services": list(queries.services()), "form": form}
    return render(request, "catalog/services.html", context)


def service_page(request: HttpRequest, service_id: int, **extra: Any) -> HttpResponse:
    """The service's page with every panel; `extra` goes to the panels. The caller has
    authorised the request."""
    service = queries.get_service(service_id)
    context: dict[str, Any] = {"service": service, "panels": []}
    for panel in _panels:
        template, values = panel(ServicePage(request, service, extra))
        context["panels"].append(template)
        context.update(values)
    return render(request, "catalog/service.html", context)


@login_required
def service_detail(request: HttpRequest, service_id: int) -> HttpResponse:
    access.can_read(request.user)
    return service_page(request, service_id)
