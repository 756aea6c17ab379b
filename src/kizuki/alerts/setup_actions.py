"""The write path for configuring alerts: integrations (with their secret URL token; they
can be switched off and given a new token) and routing rules (added, edited, deleted)."""

import secrets
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from kizuki.accounts.models import User
from kizuki.alerts.models import Integration, IntegrationKind, RoutingRule
from kizuki.alerts.queries import token_digest
from kizuki.catalog.models import Service
from kizuki.core import clock
from kizuki.core.actions import record_audit
from kizuki.core.errors import InvalidInput
from kizuki.incidents.queries import severities
from kizuki.oncall.models import EscalationPolicy

TOKEN_PREFIX = "kzi_"  # noqa: S105 - a public marker that makes leaked URLs greppable


def _new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(24)


def _prefix(token: str) -> str:
    """The start of a token, kept to tell URLs apart on pages (it reveals too little to use)."""
    return token[: len(TOKEN_PREFIX) + 6]


@transaction.atomic
def create_integration(
    actor: User | None,
    service: Service,
    kind: str,
    name: str,
    *,
    grouping_key: str = "",
    rate_limit_per_minute: int | None = None,
    heartbeat_minutes: int | None = None,
) -> tuple[Integration, str]:
    """Returns the integration and its URL token, which is never retrievable again (only
    its SHA-256 is stored)."""
    if kind not in IntegrationKind.values:
        raise InvalidInput(
            _("Unknown kind %(kind)s; use one of %(kinds)s.")
            % {"kind": kind, "kinds": ", ".join(IntegrationKind.values)}
        )
    name = name.strip()
    if not name:
        raise InvalidInput(_("A name is required."))
    if kind == IntegrationKind.HEARTBEAT and not heartbeat_minutes:
        raise InvalidInput(_("A heartbeat integration needs heartbeat_minutes."))
    if kind != IntegrationKind.HEARTBEAT and heartbeat_minutes:
        raise InvalidInput(_("heartbeat_minutes applies only to heartbeat integrations."))
    token = _new_token()
    integration = Integration.objects.create(
        service=service,
        kind=kind,
        name=name,
        token_prefix=_prefix(token),
        token_digest=token_digest(token),
        grouping_key=grouping_key.strip(),
        heartbeat_minutes=heartbeat_minutes,
        created_at=clock.now(),
        **({"rate_limit_per_minute": rate_limit_per_minute} if rate_limit_per_minute else {}),
    )
    record_audit(
        actor,
        "integration.create",
        integration,
        after={"service": service.slug, "kind": kind, "name": name},
    )
    return integration, token


def _checked_rule(
    name: str, match_labels: dict[str, str] | None, declare_severity: int | None
) -> tuple[str, dict[str, str]]:
    """A rule's name and labels, cleaned, or InvalidInput saying what is wrong."""
    if declare_severity is not None and declare_severity not in {s.level for s in severities()}:
        raise InvalidInput(_("Unknown severity %(level)s.") % {"level": declare_severity})
    labels = {str(key): str(value) for key, value in (match_labels or {}).items()}
    name = name.strip()
    if not name and not labels:
        # It would match every alert, and an unnamed catch-all is a mistake far more often
        # than a plan: naming it says it is meant.
        raise InvalidInput(
            _(
                "A rule with no labels matches every alert; give it labels to match, or a"
                " name to show that catching everything is intended."
            )
        )
    return name, labels


def _rule_snapshot(rule: RoutingRule) -> dict[str, Any]:
    return {
        "name": rule.name,
        "position": rule.position,
        "match_labels": rule.match_labels,
        "escalation_policy": rule.escalation_policy_id,
        "declare_severity": rule.declare_severity,
    }


@transaction.atomic
def create_routing_rule(
    actor: User | None,
    service: Service,
    *,
    name: str = "",
    match_labels: dict[str, str] | None = None,
    escalation_policy: EscalationPolicy | None = None,
    declare_severity: int | None = None,
    position: int | None = None,
) -> RoutingRule:
    """Add a rule; without a position it goes after the service's existing rules."""
    name, labels = _checked_rule(name, match_labels, declare_severity)
    if position is None:
        last = RoutingRule.objects.filter(service=service).order_by("-position").first()
        position = last.position + 1 if last else 0
    rule = RoutingRule.objects.create(
        service=service,
        position=position,
        name=name,
        match_labels=labels,
        escalation_policy=escalation_policy,
        declare_severity=declare_severity,
    )
    record_audit(
        actor,
        "routing_rule.create",
        rule,
        after={"service": service.slug, **_rule_snapshot(rule)},
    )
    return rule


RULE_FIELDS = {"name", "match_labels", "escalation_policy", "declare_severity", "position"}


@transaction.atomic
def update_routing_rule(
    actor: User | None, rule: RoutingRule, changes: dict[str, Any]
) -> RoutingRule:
    """Apply a partial edit, checked as a new rule is. Keys: name, match_labels (dict),
    escalation_policy (EscalationPolicy or None: the service's), declare_severity (a level or
    None), position."""
    unknown = set(changes) - RULE_FIELDS
    if unknown:
        raise InvalidInput(_("%(field)s cannot be edited.") % {"field": ", ".join(sorted(unknown))})
    rule = RoutingRule.objects.select_for_update().select_related("service").get(pk=rule.pk)
    before = _rule_snapshot(rule)
    name, labels = _checked_rule(
        changes.get("name", rule.name) or "",
        changes.get("match_labels", rule.match_labels),
        changes.get("declare_severity", rule.declare_severity),
    )
    rule.name, rule.match_labels = name, labels
    if "escalation_policy" in changes:
        rule.escalation_policy = changes["escalation_policy"]
    if "declare_severity" in changes:
        rule.declare_severity = changes["declare_severity"]
    if changes.get("position") is not None:
        rule.position = changes["position"]
    rule.save()
    after = _rule_snapshot(rule)
    if after != before:
        record_audit(actor, "routing_rule.update", rule, before=before, after=after)
    return rule


@transaction.atomic
def delete_routing_rule(actor: User | None, rule: RoutingRule) -> None:
    """Remove a rule; alert groups it routed keep their policy (they only forget the rule)."""
    rule = RoutingRule.objects.select_for_update().select_related("service").get(pk=rule.pk)
    before = {"service": rule.service.slug, **_rule_snapshot(rule)}
    record_audit(actor, "routing_rule.delete", rule, before=before)
    rule.delete()


@transaction.atomic
def set_integration_active(
    actor: User | None, integration: Integration, active: bool
) -> Integration:
    """Switch an integration off (its URL refuses alerts, heartbeats are no longer checked)
    or on again. Setting what it already is changes nothing."""
    integration = Integration.objects.select_for_update().get(pk=integration.pk)
    if integration.is_active == active:
        return integration
    integration.is_active = active
    if active and integration.kind == IntegrationKind.HEARTBEAT:
        # Silence while off is not a missed heartbeat: the interval starts again now.
        integration.last_heartbeat_at = clock.now()
    integration.save(update_fields=["is_active", "last_heartbeat_at"])
    action = "integration.reactivate" if active else "integration.deactivate"
    record_audit(
        actor, action, integration, before={"is_active": not active}, after={"is_active": active}
    )
    return integration


@transaction.atomic
def rotate_integration_token(
    actor: User | None, integration: Integration
) -> tuple[Integration, str]:
    """Give the integration a new URL token; the old one stops working at once. Returns the
    new token, which (like a new integration's) is never retrievable again."""
    integration = Integration.objects.select_for_update().get(pk=integration.pk)
    before = {"token_prefix": integration.token_prefix}
    token = _new_token()
    integration.token_prefix = _prefix(token)
    integration.token_digest = token_digest(token)
    integration.save(update_fields=["token_prefix", "token_digest"])
    record_audit(
        actor,
        "integration.rotate_token",
        integration,
        before=before,
        after={"token_prefix": integration.token_prefix},
    )
    return integration, token
