"""The incident page's privacy card: make the incident private or public, add and remove
participants. Each POST authorises (commander or admin), calls one action and goes back."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kizuki.accounts.queries import get_user
from kizuki.core.errors import CORRECTABLE
from kizuki.incidents import access, privacy_actions
from kizuki.incidents.forms import ParticipantForm, PrivacyForm


def _back(ref: str) -> HttpResponse:
    return redirect(reverse("incident-detail", kwargs={"ref": ref}) + "#privacy")


@require_POST
@login_required
def set_privacy(request: HttpRequest, ref: str) -> HttpResponse:
    user, incident = access.access_privacy(request.user, ref)
    form = PrivacyForm(request.POST)
    form.is_valid()  # a checkbox: absent means public
    privacy_actions.set_private(user, incident, bool(form.cleaned_data.get("private")))
    messages.success(request, _("Saved."))
    return _back(incident.ref)


@require_POST
@login_required
def add_participant(request: HttpRequest, ref: str) -> HttpResponse:
    user, incident = access.access_privacy(request.user, ref)
    form = ParticipantForm(request.POST)
    if form.is_valid():
        privacy_actions.add_participant(user, incident, form.cleaned_data["user"])
        messages.success(request, _("Saved."))
    else:
        messages.error(request, _("Choose a person to add."))
    return _back(incident.ref)


@require_POST
@login_required
def remove_participant(request: HttpRequest, ref: str, username: str) -> HttpResponse:
    user, incident = access.access_privacy(request.user, ref)
    try:
        privacy_actions.remove_participant(user, incident, get_user(username))
    except CORRECTABLE as error:
        messages.error(request, error.detail)
    else:
        messages.success(request, _("Saved."))
    return _back(incident.ref)
