"""Risks on the pages of retrospectives and follow-ups: the panels that list the linked risks
with a "Record as a system risk" button (registered from RisksConfig.ready()), and the two
one-click POSTs behind that button. Each POST authorises first (responders), records the risk
prefilled and linked, and lands on the risk's edit page to set its impacts."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kizuki.core.access import allows
from kizuki.core.errors import CORRECTABLE
from kizuki.followups.views import FollowUpPage
from kizuki.retros.views import RetroPage
from kizuki.risks import access, link_actions, link_queries
from kizuki.risks.models import Risk

PANEL = "risks/_linked_panel.html"


def _recorded(request: HttpRequest, risk: Risk) -> HttpResponse:
    messages.success(
        request, _("Risk recorded and linked. Now set its impacts and likelihood below.")
    )
    return redirect(reverse("risk-edit", args=[risk.pk]))


def followup_panel(page: FollowUpPage) -> tuple[str, dict[str, Any]]:
    return PANEL, {
        "linked_risks": link_queries.risks_of_followup(page.followup),
        "record_risk_url": reverse("followup-record-risk", args=[page.followup.pk])
        if allows(access.can_add, page.user)
        else "",
    }


def retro_panel(page: RetroPage) -> tuple[str, dict[str, Any]]:
    return PANEL, {
        "linked_risks": link_queries.risks_of_retrospective(page.retro),
        "record_risk_url": reverse("retro-record-risk", args=[page.retro.incident.ref])
        if allows(access.can_add, page.user)
        else "",
    }


@require_POST
@login_required
def record_from_followup(request: HttpRequest, followup_id: int) -> HttpResponse:
    user, followup = access.access_followup_for_risk(request.user, followup_id)
    try:
        risk = link_actions.record_from_followup(user, followup)
    except CORRECTABLE as error:
        messages.error(request, error.detail)
        return redirect(reverse("followup-detail", args=[followup.pk]))
    return _recorded(request, risk)


@require_POST
@login_required
def record_from_retrospective(request: HttpRequest, ref: str) -> HttpResponse:
    user, retro = access.access_retrospective_for_risk(request.user, ref)
    try:
        risk = link_actions.record_from_retrospective(user, retro)
    except CORRECTABLE as error:
        messages.error(request, error.detail)
        return redirect(reverse("retro-detail", args=[retro.incident.ref]))
    return _recorded(request, risk)
