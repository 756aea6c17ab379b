"""Reads for alerts: the integration behind a URL token, alert groups with what their pages
show, a service's integrations and routing rules."""

import hashlib
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from kizuki.alerts.models import Alert, AlertGroup, GroupStatus, Integration, RoutingRule
from kizuki.catalog.models import Service
from kizuki.core.errors import InvalidInput, NotFound
from kizuki.core.sql import fetch
from kizuki.incidents.models import Incident
from kizuki.oncall.models import EscalationEvent, Page

PAGE_SIZE_MAX = 200


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def integration_for_token(token: str, kind: str) -> Integration:
    """The active integration whose URL carries `token` and whose kind is `kind`. Every
    failure reads the same, so the answer tells a guesser nothing."""
    # In SQL: every webhook request starts here, and the ORM took longer to build the
    # statement than the database to run it.
    where = "WHERE token_digest = %s AND is_active = %s AND kind = %s"
    for integration in fetch(Integration, where, [token_digest(token), True, kind]):
        return integration
    raise NotFound(_("No active %(kind)s integration has this URL.") % {"kind": kind})


def _with_summary(groups: QuerySet[AlertGroup]) -> QuerySet[AlertGroup]:
    return groups.select_related(
        "service", "integration", "incident", "escalation", "escalation_policy", "acknowledged_by"
    ).annotate(alert_count=Count("alerts"))


def get_group(group_id: int) -> AlertGroup:
    group = _with_summary(AlertGroup.objects.filter(pk=group_id)).first()
    if group is None:
        raise NotFound(_("No alert group %(id)s.") % {"id": group_id})
    return group


@dataclass
class GroupFilter:
    status: str = ""
    service: str = ""


def filter_groups(criteria: GroupFilter) -> QuerySet[AlertGroup]:
    groups = AlertGroup.objects.all()
    if criteria.status:
        if criteria.status not in GroupStatus.values:
            raise InvalidInput(
                _("Unknown status %(status)s; use one of %(statuses)s.")
                % {"status": criteria.status, "statuses": ", ".join(GroupStatus.values)}
            )
        groups = groups.filter(status=criteria.status)
    if criteria.service:
        match = Q(service__slug=criteria.service)
        if criteria.service.isdecimal() and len(criteria.service) < 20:  # an id fits 19 digits
            match |= Q(service_id=int(criteria.service))
        groups = groups.filter(match)
    return _with_summary(groups).order_by("-created_at", "-id")


def incident_groups(incident: Incident) -> list[AlertGroup]:
    """The alert groups linked to an incident, oldest first."""
    return list(
        _with_summary(AlertGroup.objects.filter(incident=incident)).order_by("created_at", "id")
    )


def alerts(group: AlertGroup) -> list[Alert]:
    return list(group.alerts.order_by("first_received_at", "id"))


def _escalation_ids(group: AlertGroup) -> list[int]:
    ids = list(group.past_escalations.values_list("pk", flat=True))
    return [*ids, group.escalation_id] if group.escalation_id else ids


def escalation_history(group: AlertGroup) -> list[EscalationEvent]:
    """What paging did for this group, across every escalation it ran, oldest first."""
    return list(
        EscalationEvent.objects.filter(escalation_id__in=_escalation_ids(group))
        .select_related("user")
        .order_by("at", "id")
    )


def notifications(group: AlertGroup) -> list[Page]:
    """Each message sent or to be sent, with its delivery state."""
    return list(
        Page.objects.filter(escalation_id__in=_escalation_ids(group))
        .select_related("user")
        .order_by("created_at", "id")
    )


def was_paged(group: AlertGroup, user_id: int) -> bool:
    return Page.objects.filter(escalation_id__in=_escalation_ids(group), user_id=user_id).exists()


def integrations(service: Service) -> list[Integration]:
    return list(Integration.objects.filter(service=service).order_by("name", "id"))


def get_integration(service: Service, integration_id: int) -> Integration:
    """One of the service's integrations (another service's reads as missing)."""
    found = Integration.objects.filter(service=service, pk=integration_id).first()
    if found is None:
        raise NotFound(_("No integration %(id)s on this service.") % {"id": integration_id})
    found.service = service  # already fetched (with what its page shows)
    return found


def get_routing_rule(service: Service, rule_id: int) -> RoutingRule:
    """One of the service's routing rules (another service's reads as missing)."""
    found = RoutingRule.objects.filter(service=service, pk=rule_id).first()
    if found is None:
        raise NotFound(_("No routing rule %(id)s on this service.") % {"id": rule_id})
    found.service = service
    return found


def routing_rules(service: Service) -> list[RoutingRule]:
    return list(
        RoutingRule.objects.filter(service=service)
        .select_related("escalation_policy")
        .order_by("position", "id")
    )


def page_address(page_id: Any) -> str:
    """Where a page went (an e-mail address, a channel name), by its id; empty if unknown."""
    if not isinstance(page_id, int):
        return ""
    return Page.objects.filter(pk=page_id).values_list("address", flat=True).first() or ""
