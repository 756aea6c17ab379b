"""Escalation policy pages and the test-notification button. Each POST authorises, calls one
action and redirects."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from kizuki.accounts.models import OrgRole, User
from kizuki.core.access import allows
from kizuki.core.errors import CORRECTABLE
from kizuki.oncall import access, actions, queries
from kizuki.oncall.access import Need
from kizuki.oncall.forms import (
    OP,
    SAVE,
    PolicyForm,
    apply_op,
    clean_rows,
    for_display,
    load_choices,
    posted_settings,
    rows_from_post,
    rows_from_steps,
)
from kizuki.oncall.models import EscalationPolicy, TargetKind


@login_required
def policy_list(request: HttpRequest) -> HttpResponse:
    access.can_read_policies(request.user)
    rows = [(policy, queries.describe_policy(policy)) for policy in queries.policies()]
    can_create = isinstance(request.user, User) and request.user.has_org_role(OrgRole.RESPONDER)
    return render(request, "oncall/policy_list.html", {"rows": rows, "can_create": can_create})


def _save(
    user: User, form: PolicyForm, steps: list[dict[str, Any]], policy: EscalationPolicy | None
) -> Any:
    """Run the create or update action for a valid form (the caller has authorised the policy;
    a team chosen in the form is authorised here, a refusal is a 403 page); None (with the
    form's error) if the action refused the input."""
    data = form.cleaned_data
    access.can_manage_policy(user, data["team"])
    try:
        if policy is None:
            return actions.create_policy(user, data["name"], data["repeat"], steps, data["team"])
        return actions.update_policy(
            user, policy, data["name"], data["repeat"], steps, team=data["team"]
        )
    except CORRECTABLE as error:
        form.add_error(None, error.detail)
        return None


def _submit(
    request: HttpRequest, user: User, policy: EscalationPolicy | None
) -> HttpResponse | dict[str, Any]:
    """A posted policy form: a builder button changes the rows and shows them again (saving
    nothing); Save checks everything and saves, or shows each error once beside what it is
    about, keeping everything typed. Returns a redirect, or what to show."""
    rows = rows_from_post(request.POST)
    op = request.POST.get(OP, SAVE)
    if op != SAVE:
        form = PolicyForm(initial=posted_settings(request.POST))
        return {"form": form, "rows": apply_op(rows, op), "steps_error": ""}
    form = PolicyForm(request.POST)
    choices = load_choices()
    cleaned = clean_rows(rows, choices)
    valid = form.is_valid()  # every field's error shows, even when a step has one too
    if valid and cleaned is not None and not cleaned[1]:
        saved = _save(user, form, cleaned[0], policy)
        if saved is not None:
            if policy is None:
                messages.success(request, _("Escalation policy created."))
            else:
                messages.success(request, _("Escalation policy saved."))
            return redirect("policy-detail", policy_id=saved.pk)
    steps_error = cleaned[1] if cleaned else ""
    return {
        "form": form,
        "rows": rows,
        "steps_error": steps_error,
        "choices": choices,
        "not_saved": True,
    }


def _render(request: HttpRequest, context: dict[str, Any]) -> HttpResponse:
    if context["can_edit"]:  # a reader sees only the steps, not the builder
        if "choices" not in context:  # a failed save has loaded them already
            context["choices"] = load_choices()
        context["rows"] = for_display(context["rows"], context["choices"])
        context["kinds"] = TargetKind.choices
    return render(request, "oncall/policy_form.html", context)


@login_required
def policy_new(request: HttpRequest) -> HttpResponse:
    user = access.can_edit_policies(request.user)
    context: HttpResponse | dict[str, Any]
    if request.method == "POST":
        context = _submit(request, user, None)
        if isinstance(context, HttpResponse):
            return context
    else:
        context = {"form": PolicyForm(), "rows": [], "steps_error": ""}
    return _render(request, context | {"policy": None, "can_edit": True})


@login_required
def policy_detail(request: HttpRequest, policy_id: int) -> HttpResponse:
    need = Need.MANAGE if request.method == "POST" else Need.READ
    user, policy = access.access_policy(request.user, policy_id, need)
    described = queries.describe_policy(policy)
    context: HttpResponse | dict[str, Any]
    if request.method == "POST":
        context = _submit(request, user, policy)
        if isinstance(context, HttpResponse):
            return context
    else:
        initial = {"name": policy.name, "team": policy.team, "repeat": policy.repeat}
        rows = rows_from_steps(described["steps"])
        context = {"form": PolicyForm(initial=initial), "rows": rows, "steps_error": ""}
    can_edit = allows(access.can_manage_policy, user, policy.team)
    return _render(
        request, context | {"policy": policy, "described": described, "can_edit": can_edit}
    )


@require_POST
@login_required
def policy_delete(request: HttpRequest, policy_id: int) -> HttpResponse:
    user, policy = access.access_policy(request.user, policy_id, Need.MANAGE)
    try:
        actions.delete_policy(user, policy)
    except CORRECTABLE as error:
        messages.error(request, error.detail)
        return redirect("policy-detail", policy_id=policy.pk)
    messages.success(request, _("Escalation policy deleted."))
    return redirect("policy-list")


@require_POST
@login_required
def send_test(request: HttpRequest) -> HttpResponse:
    """Page me through all my rules now, by the worker, as a real page would go."""
    me = access.can_send_test_page(request.user, getattr(request.user, "username", ""))
    try:
        escalation = actions.send_test_page(me, me)
    except CORRECTABLE as error:
        messages.error(request, error.detail)
    else:
        count = escalation.pages.count()
        text = ngettext(
            "Test notification queued: %(count)s message goes out within seconds.",
            "Test notification queued: %(count)s messages go out within seconds.",
            count,
        )
        messages.success(request, text % {"count": count})
    return redirect("notification-rules")
