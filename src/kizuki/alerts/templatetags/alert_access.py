"""`{% alert_allows group "acknowledge" as may_ack %}`: show only the buttons a person may use."""

from typing import Any

from django import template

from kizuki.alerts.access import Need, check_alert_group
from kizuki.alerts.models import AlertGroup
from kizuki.core.access import allows

register = template.Library()


@register.simple_tag(takes_context=True)
def alert_allows(context: dict[str, Any], group: AlertGroup, need: str) -> bool:
    return allows(check_alert_group, context.get("user"), group, Need(need))
