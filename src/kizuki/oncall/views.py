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
from kizuki.oncall.forms import PolicyForm, format_steps
from kizuki.oncall.models import EscalationPolicy


@login_required
def policy_list(request: HttpRequest) -> HttpResponse:
    access.can_read_policies(request.user)
    rows = [(policy, queries.describe_policy(policy)) for policy in queries.policies()]
    can_create = isinstance(request.user, User) and request.user.has_org_role(OrgRole.RESPONDER)
    return render(request, "oncall/policy_list.html", {"rows": rows, "can_create": can_create})


def _save(user: User, form: PolicyForm, policy: EscalationPolicy | None) -> Any:
    """Run the create or update action for a valid form (the caller has authorised the policy;
    a team chosen in the form is authorised here, a refusal is a 403 page); None (with the
    form's error) if the action refused the input."""
    data = form.cleaned_data
    access.can_manage_policy(user, data["team"])
    try:
        if policy is None:
            return actions.create_policy(
                user, data["name"], data["repeat"], data["steps"], data["team"]
            )
        return actions.update_policy(
            user, policy, data["name"], data["repeat"], data["steps"], team=data["team"]
        )
    except CORRECTABLE as error:
        form.add_error(None, error.detail)
        return None


@login_required
def policy_new(request: HttpRequest) -> HttpResponse:
    user = access.can_edit_policies(request.user)
    form = PolicyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        policy = _save(user, form, None)
        if policy is not None:
            messages.success(request, _("Escalation policy created."))
            return redirect("policy-detail", policy_id=policy.pk)
    return render(request, "oncall/policy_form.html", {"form": form, "policy": None})


@login_required
def policy_detail(request: HttpRequest, policy_id: int) -> HttpResponse:
    need = Need.MANAGE if request.method == "POST" else Need.READ
    user, policy = access.access_policy(request.user, policy_id, need)
    described = queries.describe_policy(policy)
    initial = {
        "name": policy.name,
        "team": policy.team,
        "repeat": policy.repeat,
        "steps": format_steps(described["steps"]),
    }
    form = PolicyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid() and _save(user, form, policy) is not None:
        messages.success(request, _("Escalation policy saved."))
        return redirect("policy-detail", policy_id=policy.pk)
    context = {
        "policy": policy,
        "described": described,
        "form": form,
        "can_edit": allows(access.can_manage_policy, user, policy.team),
    }
    return render(request, "oncall/policy_form.html", context)


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
