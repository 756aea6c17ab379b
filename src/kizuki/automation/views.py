"""The automation settings pages: the list of rules, the editor with its preview of past
matches, and each rule's recent runs. Admins edit; responders read. The same checks and
actions as /api/v1/automation-rules."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kizuki.accounts.models import OrgRole, User
from kizuki.automation import access, actions, defaults, queries, wording
from kizuki.automation.catalogue import EVENT_HINTS, action_label
from kizuki.automation.forms import RuleForm, initial_for
from kizuki.automation.models import Rule, Run
from kizuki.core.errors import CORRECTABLE
from kizuki.core.htmx import HtmxHttpRequest, wants_partial

PREVIEW_TEMPLATE = "automation/_preview.html"


def _row(rule: Rule) -> dict[str, Any]:
    return {
        "rule": rule,
        "name": defaults.display_name(rule.key, rule.name),
        "event": wording.event_label(rule.event),
        "conditions": _conditions(rule),
        "actions": [action_label(str(action.get("kind"))) for action in rule.actions],
        "built_in": defaults.BUILT_IN.get(rule.key, ""),
    }


def _conditions(rule: Rule) -> str:
    reasons: list[Any] = []
    if rule.severities:
        reasons.append(["severities", rule.severities])
    if rule.services:
        reasons.append(["services", rule.services])
    reasons += [["team", team] for team in rule.teams]
    for code in ("drill", "business_hours", "holidays"):
        value = getattr(rule, code)
        if value != "any":
            reasons.append([code, value])
    return wording.reasons(reasons)


def _run_row(run: Run) -> dict[str, Any]:
    return {
        "run": run,
        "actions": [
            {
                "label": action_label(item.action),
                "status": item.status,
                "status_label": item.get_status_display(),
                "attempts": item.attempts,
            }
            for item in run.action_runs.all()
        ],
    }


@login_required
def rule_list(request: HtmxHttpRequest) -> HttpResponse:
    user = access.can_read(request.user)
    rows = [_row(rule) for rule in queries.rules()]
    context = {"rows": rows, "is_admin": user.has_org_role(OrgRole.ADMIN)}
    return render(request, "automation/rule_list.html", context)


def _preview(request: HtmxHttpRequest, form: RuleForm, context: dict[str, Any]) -> HttpResponse:
    """The rule as typed, against the past 90 days (nothing is saved)."""
    try:
        draft = actions.draft_rule(form.changes())
    except CORRECTABLE as error:
        form.add_error(None, error.detail)
        context["preview_error"] = error.detail
    else:
        context["preview"] = queries.preview(draft)
        context["preview_done"] = True
    if wants_partial(request):
        response = render(request, PREVIEW_TEMPLATE, context)
        response["Vary"] = "HX-Request"
        return response
    return render(request, "automation/rule_edit.html", context)


def _editor(rule: Rule | None, form: RuleForm, user: User) -> dict[str, Any]:
    is_admin = user.has_org_role(OrgRole.ADMIN)
    return {
        "form": form,
        "rule": rule,
        "row": _row(rule) if rule is not None else None,
        "runs": [_run_row(run) for run in queries.runs(rule, user, 20)] if rule else [],
        "is_admin": is_admin,
        "hints": {key: str(value) for key, value in EVENT_HINTS.items()},
        "preview_days": queries.PREVIEW_DAYS,
    }


@login_required
def rule_new(request: HtmxHttpRequest) -> HttpResponse:
    user = access.can_manage(request.user)  # refused before the form is read
    form = RuleForm(request.POST or None, initial={"enabled": True})
    context = _editor(None, form, user)
    if request.method == "POST" and form.is_valid():
        if "preview" in request.POST:
            return _preview(request, form, context)
        try:
            rule = actions.create_rule(user, form.changes())
        except CORRECTABLE as error:
            form.add_error(None, error.detail)
        else:
            messages.success(request, _("Rule saved."))
            return redirect("automation-rule", rule_id=rule.pk)
    return render(request, "automation/rule_edit.html", context)


@login_required
def rule_edit(request: HtmxHttpRequest, rule_id: int) -> HttpResponse:
    need = access.Need.CHANGE if request.method == "POST" else access.Need.READ
    user, rule = access.access_rule(request.user, rule_id, need)
    initial = initial_for(actions.describe_rule(rule))
    initial["name"] = defaults.display_name(rule.key, rule.name)
    form = RuleForm(request.POST or None, initial=initial)
    context = _editor(rule, form, user)
    if request.method == "POST" and form.is_valid():
        if "preview" in request.POST:
            return _preview(request, form, context)
        changes = form.changes()
        if changes["name"] == initial["name"]:
            changes.pop("name")  # a default rule keeps its name, shown in each reader's language
        try:
            actions.update_rule(user, rule, changes)
        except CORRECTABLE as error:
            form.add_error(None, error.detail)
        else:
            messages.success(request, _("Rule saved."))
            return redirect("automation-rule", rule_id=rule.pk)
    return render(request, "automation/rule_edit.html", context)


@login_required
@require_POST
def rule_delete(request: HtmxHttpRequest, rule_id: int) -> HttpResponse:
    user, rule = access.access_rule(request.user, rule_id, access.Need.CHANGE)
    actions.delete_rule(user, rule)
    messages.success(request, _("Rule deleted."))
    return redirect("automation-rules")
