"""The status page, subscribing to it by e-mail, and the unsubscribe link in every e-mail."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kizuki.core.client import client_address
from kizuki.core.errors import DomainError, NotFound
from kizuki.core.middleware import with_retry_after
from kizuki.stakeholders import access, actions, links, queries
from kizuki.stakeholders.forms import SubscribeForm
from kizuki.stakeholders.models import Kind, Subscription


def _needs_login(request: HttpRequest) -> bool:
    return not access.is_public() and not request.user.is_authenticated


def _page(request: HttpRequest, error: str = "", status: int = 200) -> HttpResponse:
    reader = access.can_read_status(request.user)
    email = reader.email if reader else ""
    mine = queries.email_subscriptions(email)
    context = {
        "page": queries.status_page(),
        "reader": reader,
        "email": request.POST.get("email", email) if error else email,
        "everything": mine.get(None),
        "services": [(service, mine.get(service.pk)) for service in queries.services()],
        "error": error,
    }
    return render(request, "stakeholders/status.html", context, status=status)


def status_page(request: HttpRequest) -> HttpResponse:
    if _needs_login(request):
        return redirect_to_login(request.get_full_path())
    return _page(request)


@require_POST
def subscribe(request: HttpRequest) -> HttpResponse:
    if _needs_login(request):
        return redirect_to_login(reverse("status-page"))
    user = access.can_subscribe(request.user, Kind.EMAIL)
    form = SubscribeForm(request.POST)
    if not form.is_valid():
        problems = [str(error) for errors in form.errors.values() for error in errors]
        return _page(request, " ".join(problems), status=400)
    slug = form.cleaned_data["service"]
    service = queries.service_by_slug(slug) if slug else None
    address = form.cleaned_data["email"]
    language = get_language() or ""
    scope = service.name if service else _("all incidents")
    try:
        if user is None:
            # Anyone on a public page: nothing is sent until the address's owner confirms.
            client = client_address(request) or ""
            actions.request_subscription(address, service, language=language, client=client)
        else:
            actions.subscribe(user, Kind.EMAIL, address, service, language=language)
    except DomainError as error:
        return with_retry_after(_page(request, error.detail, status=error.status), error)
    if user is None:
        done = _(
            "We sent a link to %(address)s: updates on %(scope)s start once it is confirmed"
            " (within 7 days)."
        )
    else:
        done = _("%(address)s will receive updates on %(scope)s.")
    messages.success(request, done % {"address": address, "scope": scope})
    return redirect("status-page")


@require_POST
@login_required
def unsubscribe(request: HttpRequest, subscription_id: int) -> HttpResponse:
    user, subscription = access.access_subscription(request.user, subscription_id)
    actions.unsubscribe(user, subscription)
    messages.success(request, _("Unsubscribed."))
    return redirect("status-page")


def _from_token(token: str) -> Subscription:
    subscription_id = links.subscription_id_from_token(token)
    if subscription_id is None:
        raise NotFound(_("This unsubscribe link is not valid."))
    return queries.get_subscription(subscription_id)


def unsubscribe_link(request: HttpRequest, token: str) -> HttpResponse:
    """The link in each e-mail: whoever holds it may stop that subscription, without logging
    in. GET only asks (mail scanners follow links); the button POSTs."""
    subscription = _from_token(token)
    if request.method == "POST":
        subscription = actions.unsubscribe(None, subscription)
    return render(request, "stakeholders/unsubscribe.html", {"subscription": subscription})


def confirm_link(request: HttpRequest, token: str) -> HttpResponse:
    """The link mailed to an anonymous subscriber. GET only asks (mail scanners follow
    links); the button POSTs and starts the updates."""
    found = links.confirmation_from_token(token)
    if found is None:
        raise NotFound(_("This confirmation link is not valid."))
    subscription_id, requested_stamp = found
    if request.method == "POST":
        subscription = actions.confirm(subscription_id, requested_stamp)
    else:
        subscription = queries.get_subscription(subscription_id)
    return render(request, "stakeholders/confirm.html", {"subscription": subscription})
