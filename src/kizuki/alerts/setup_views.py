"""A service's alert setup, as a panel on the catalogue's service page: its integrations
(added, switched off and on, given a new URL, sent a test alert) and its routing rules (added,
edited, deleted). Each POST authorises, calls one action and redirects, or answers with the
service page itself: showing a form's errors next to its fields, or a new URL this once."""

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kizuki.accounts.models import User
from kizuki.alerts import access, actions, links, queries, setup_actions
from kizuki.alerts.forms import IntegrationForm, RoutingRuleForm, TestAlertForm, labels_text
from kizuki.alerts.models import Integration, IntegrationKind, RoutingRule
from kizuki.catalog import access as catalog_access
from kizuki.catalog.access import check_service
from kizuki.catalog.views import ServicePage, service_page
from kizuki.core.access import allows
from kizuki.core.errors import CORRECTABLE, InvalidInput


@dataclass(frozen=True)
class IntegrationRow:
    integration: Integration
    test_form: TestAlertForm | None  # None: a heartbeat has no test alert
    open: bool  # its tools are shown unfolded (a form there has errors)


@dataclass(frozen=True)
class RuleRow:
    rule: RoutingRule
    form: RoutingRuleForm
    open: bool


def _test_form(integration: Integration, data: Any = None) -> TestAlertForm | None:
    if integration.kind == IntegrationKind.HEARTBEAT:
        return None
    return TestAlertForm(data, auto_id=f"id_test{integration.pk}_%s")


def _rule_form(rule: RoutingRule, data: Any = None) -> RoutingRuleForm:
    initial = {
        "name": rule.name,
        "match_labels": labels_text(rule.match_labels),
        "escalation_policy": rule.escalation_policy_id,
        "declare_severity": rule.declare_severity,
    }
    return RoutingRuleForm(data, initial=initial, auto_id=f"id_rule{rule.pk}_%s")


def service_panel(page: ServicePage) -> tuple[str, dict[str, Any]]:
    """The alerts part of a service's page, with the forms for whoever may configure it (the
    POST views check for themselves). `page.extra` may hold forms with errors, by id."""
    service = page.service
    user = page.request.user
    editable = isinstance(user, User) and allows(
        check_service, user, service, catalog_access.Need.CHANGE
    )
    test_forms: dict[int, TestAlertForm] = page.extra.get("test_forms", {})
    rule_forms: dict[int, RoutingRuleForm] = page.extra.get("rule_forms", {})
    integration_rows = [
        IntegrationRow(
            integration,
            test_forms.get(integration.pk) or _test_form(integration),
            integration.pk in test_forms,
        )
        for integration in queries.integrations(service)
    ]
    rule_rows = [
        RuleRow(rule, rule_forms.get(rule.pk) or _rule_form(rule), rule.pk in rule_forms)
        for rule in queries.routing_rules(service)
    ]
    context = {
        "editable": editable,
        "integration_rows": integration_rows,
        "rule_rows": rule_rows,
        "integration_form": IntegrationForm(auto_id="id_integration_%s"),
        "rule_form": RoutingRuleForm(auto_id="id_rule_%s"),
        **page.extra,
    }
    return "alerts/_service_panel.html", context


# Integrations --------------------------------------------------------------------------


@require_POST
@login_required
def add_integration(request: HttpRequest, service_id: int) -> HttpResponse:
    """Answers with the service page itself, showing the new URL: this once, never again."""
    user, service = access.access_service_setup(request.user, service_id)
    form = IntegrationForm(request.POST, auto_id="id_integration_%s")
    if not form.is_valid():
        return service_page(request, service, integration_form=form)
    data = form.cleaned_data
    try:
        integration, token = setup_actions.create_integration(
            user,
            service,
            data["kind"],
            data["name"],
            grouping_key=data["grouping_key"],
            rate_limit_per_minute=data["rate_limit_per_minute"],
            heartbeat_minutes=data["heartbeat_minutes"],
        )
    except CORRECTABLE as error:
        form.add_error(None, error.detail)
        return service_page(request, service, integration_form=form)
    new_url = links.ingest_url(token, integration.kind)
    return service_page(request, service, created=integration, new_url=new_url)


@require_POST
@login_required
def deactivate_integration(
    request: HttpRequest, service_id: int, integration_id: int
) -> HttpResponse:
    user, integration = access.access_integration(request.user, service_id, integration_id)
    setup_actions.set_integration_active(user, integration, False)
    messages.success(
        request,
        _("%(name)s is inactive: its URL refuses alerts until you reactivate it.")
        % {"name": integration.name},
    )
    return redirect("service-detail", service_id=service_id)


@require_POST
@login_required
def reactivate_integration(
    request: HttpRequest, service_id: int, integration_id: int
) -> HttpResponse:
    user, integration = access.access_integration(request.user, service_id, integration_id)
    setup_actions.set_integration_active(user, integration, True)
    messages.success(
        request, _("%(name)s is active again: its URL takes alerts.") % {"name": integration.name}
    )
    return redirect("service-detail", service_id=service_id)


@require_POST
@login_required
def rotate_integration(request: HttpRequest, service_id: int, integration_id: int) -> HttpResponse:
    """Answers with the service page showing the new URL this once, as for a new integration."""
    user, integration = access.access_integration(request.user, service_id, integration_id)
    integration, token = setup_actions.rotate_integration_token(user, integration)
    new_url = links.ingest_url(token, integration.kind)
    service = integration.service
    return service_page(request, service, created=integration, new_url=new_url, rotated=True)


def _test_outcome(sent: actions.SentTestAlert) -> tuple[bool, str]:
    """Whether the test alert pages someone, and what to tell the sender about it."""
    group = sent.group
    if not sent.opened:
        text = _(
            "The test alert joined alert group #%(id)s, which was already open, so nobody was"
            " paged again."
        ) % {"id": group.pk}
        return False, text
    if group.silenced_until is not None:
        paged, text = False, _("Test alert sent, but alerts like it are silenced: nobody is paged.")
    elif group.escalation_policy is None:
        paged, text = (
            False,
            _(
                "Test alert sent, but nobody is paged: neither a routing rule nor the service"
                " names an escalation policy."
            ),
        )
    else:
        paged, text = (
            True,
            _("Test alert sent: the on-call of %(policy)s is being paged.")
            % {"policy": group.escalation_policy.name},
        )
    if group.incident is not None:
        text += " " + _("A routing rule declared %(incident)s.") % {"incident": group.incident.ref}
    return paged, text


@require_POST
@login_required
def send_test_alert(request: HttpRequest, service_id: int, integration_id: int) -> HttpResponse:
    """Lands on the alert group the test alert went to, saying who is paged; or back on the
    service page saying why nothing was sent."""
    user, integration = access.access_integration(request.user, service_id, integration_id)
    form = _test_form(integration, request.POST) or TestAlertForm(request.POST)
    if form.is_valid():
        try:
            sent = actions.send_test_alert(user, integration, form.cleaned_data["labels"])
        except CORRECTABLE as error:
            # A payload the parser refuses is about the labels; the rest about the integration.
            form.add_error("labels" if isinstance(error, InvalidInput) else None, error.detail)
        else:
            paged, text = _test_outcome(sent)
            (messages.success if paged else messages.warning)(request, text)
            return redirect("alert-group-detail", group_id=sent.group.pk)
    return service_page(request, integration.service, test_forms={integration.pk: form})


# Routing rules -------------------------------------------------------------------------


@require_POST
@login_required
def add_rule(request: HttpRequest, service_id: int) -> HttpResponse:
    user, service = access.access_service_setup(request.user, service_id)
    form = RoutingRuleForm(request.POST, auto_id="id_rule_%s")
    if not form.is_valid():
        return service_page(request, service, rule_form=form)
    data = form.cleaned_data
    try:
        setup_actions.create_routing_rule(
            user,
            service,
            name=data["name"],
            match_labels=data["match_labels"],
            escalation_policy=data["escalation_policy"],
            declare_severity=data["declare_severity"].level if data["declare_severity"] else None,
        )
    except CORRECTABLE as error:
        form.add_error(None, error.detail)
        return service_page(request, service, rule_form=form)
    messages.success(request, _("Saved."))
    return redirect("service-detail", service_id=service_id)


@require_POST
@login_required
def edit_rule(request: HttpRequest, service_id: int, rule_id: int) -> HttpResponse:
    user, rule = access.access_routing_rule(request.user, service_id, rule_id)
    form = _rule_form(rule, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        changes = {
            "name": data["name"],
            "match_labels": data["match_labels"],
            "escalation_policy": data["escalation_policy"],
            "declare_severity": data["declare_severity"].level
            if data["declare_severity"]
            else None,
        }
        try:
            setup_actions.update_routing_rule(user, rule, changes)
        except CORRECTABLE as error:
            form.add_error(None, error.detail)
        else:
            messages.success(request, _("Routing rule saved."))
            return redirect("service-detail", service_id=service_id)
    return service_page(request, rule.service, rule_forms={rule.pk: form})


@require_POST
@login_required
def delete_rule(request: HttpRequest, service_id: int, rule_id: int) -> HttpResponse:
    user, rule = access.access_routing_rule(request.user, service_id, rule_id)
    setup_actions.delete_routing_rule(user, rule)
    messages.success(request, _("Routing rule deleted."))
    return redirect("service-detail", service_id=service_id)
