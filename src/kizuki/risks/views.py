"""The risk register, a risk's page (its sections, history and the visit form), the edit and
new-risk pages. Each POST authorises first, validates a form, calls one action and redirects;
a refusal the person can correct shows beside the form, with what they typed kept."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kizuki.accounts.models import User
from kizuki.core.access import allows
from kizuki.core.errors import CORRECTABLE
from kizuki.incidents import access as incident_access
from kizuki.risks import access, actions, charts, queries
from kizuki.risks.access import Need
from kizuki.risks.forms import FilterForm, RiskForm, VisitForm, impact_choice
from kizuki.risks.history_text import describe, is_step_down
from kizuki.risks.models import Risk


def _detail(risk: Risk) -> HttpResponse:
    return redirect(reverse("risk-detail", args=[risk.pk]))


@login_required
def register(request: HttpRequest) -> HttpResponse:
    """Open risks, highest priority first, with the counts by status and the visits due."""
    user = access.can_read(request.user)
    form = FilterForm(request.GET or None)
    criteria = queries.RiskFilter()
    if form.is_valid():
        data = form.cleaned_data
        criteria = queries.RiskFilter(
            status=data["status"] or "",
            service=data["service"].slug if data["service"] else "",
            owner=data["owner"].username if data["owner"] else "",
        )
    risks = list(queries.filter_risks(criteria)[: queries.PAGE_SIZE_MAX])
    return render(
        request,
        "risks/register.html",
        {
            "form": form,
            "risks": risks,
            "counts": queries.counts_by_status(),
            "due": queries.due_for_visit(),
            "today": queries.today(),
            "chart": charts.open_priority_chart(),
            "can_add": allows(access.can_add, user),
        },
    )


def _page(request: HttpRequest, user: User, risk: Risk, visit_form: VisitForm) -> HttpResponse:
    can_change = allows(access.check_risk, user, risk, Need.CHANGE)
    history = [(c, describe(c), is_step_down(c)) for c in queries.history(risk)]
    return render(
        request,
        "risks/detail.html",
        {
            "risk": risk,
            "history": history,
            "overdue": queries.is_overdue(risk),
            "can_change": can_change,
            "visit_form": visit_form if can_change and risk.is_open else None,
        },
    )


@login_required
def detail(request: HttpRequest, risk_id: int) -> HttpResponse:
    user, risk = access.access_risk(request.user, risk_id, Need.READ)
    return _page(request, user, risk, VisitForm(status=risk.status))


@require_POST
@login_required
def visit(request: HttpRequest, risk_id: int) -> HttpResponse:
    user, risk = access.access_risk(request.user, risk_id, Need.CHANGE)
    form = VisitForm(request.POST, status=risk.status)
    if form.is_valid():
        try:
            actions.visit_risk(
                user, risk, form.cleaned_data["note"], form.cleaned_data["next_visit"]
            )
        except CORRECTABLE as error:
            form.add_error(None, error.detail)
        else:
            messages.success(request, _("Visit recorded."))
            return _detail(risk)
    return _page(request, user, risk, form)


def _initial(risk: Risk) -> dict[str, Any]:
    return {
        "title": risk.title,
        "summary": risk.summary,
        "services": list(risk.services.all()),
        "owner": risk.owner.username if risk.owner else None,
        "status": risk.status,
        "current_impact": impact_choice(risk.current_impact),
        "potential_impact": impact_choice(risk.potential_impact),
        "likelihood": risk.likelihood,
        "next_visit": risk.next_visit,
        "noticed": risk.noticed,
        "cause": risk.cause,
        "plan": risk.plan,
        "countermeasures": risk.countermeasures,
        "next_action": risk.next_action,
        # Links to private incidents stay off the form (and are kept when it is saved).
        "incidents": " ".join(i.ref for i in risk.incidents.all() if not i.private),
    }


def _values(user: User, form: RiskForm) -> dict[str, Any] | None:
    """The form's values for the actions, its incident references as the incidents (each
    one the person may read); None when one is not found (the error is beside the field)."""
    values = form.values()
    incidents = []
    for ref in values["incidents"]:
        try:
            incidents.append(incident_access.access_incident(user, ref)[1])
        except CORRECTABLE as error:
            form.add_error("incidents", error.detail)
    values["incidents"] = incidents
    return None if form.errors else values


def _form_page(request: HttpRequest, form: RiskForm, risk: Risk | None) -> HttpResponse:
    return render(
        request,
        "risks/form.html",
        {
            "form": form,
            "risk": risk,
            "scopes": queries.scope_scale(),
            "effects": queries.effect_scale(),
        },
    )


@login_required
def new(request: HttpRequest) -> HttpResponse:
    user = access.can_add(request.user)
    form = RiskForm(request.POST or None, initial={"owner": user.username})
    values = _values(user, form) if request.method == "POST" and form.is_valid() else None
    if values is not None:
        try:
            risk = actions.create_risk(user, values)
        except CORRECTABLE as error:
            form.add_error(None, error.detail)
        else:
            messages.success(request, _("Risk recorded."))
            return _detail(risk)
    return _form_page(request, form, None)


@login_required
def edit(request: HttpRequest, risk_id: int) -> HttpResponse:
    user, risk = access.access_risk(request.user, risk_id, Need.CHANGE)
    initial = _initial(risk)
    form = RiskForm(request.POST or None, initial=initial)
    values = _values(user, form) if request.method == "POST" and form.is_valid() else None
    if values is not None:
        # The date shown is the current one: left as it was, the status decides it.
        if values["next_visit"] == risk.next_visit:
            values.pop("next_visit")
        try:
            actions.update_risk(user, risk, values)
        except CORRECTABLE as error:
            form.add_error(None, error.detail)
        else:
            messages.success(request, _("Saved."))
            return _detail(risk)
    return _form_page(request, form, risk)
