"""The write path for configuring alerts: integrations (with their secret URL token) and
routing rules."""

import secrets

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
    token = TOKEN_PREFIX + secrets.token_urlsafe(24)
    integration = Integration.objects.create(
        service=service,
        kind=kind,
        name=name,
        token_prefix=token[: len(TOKEN_PREFIX) + 6],
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
        after={
            "service": service.slug,
            "match_labels": labels,
            "escalation_policy": escalation_policy.pk if escalation_policy else None,
            "declare_severity": declare_severity,
        },
    )
    return rule
