"""API shapes for notification rules."""

from ninja import Schema
from pydantic import Field

from kizuki.notify import masking
from kizuki.notify.actions import MAX_DELAY_MINUTES
from kizuki.notify.models import NotificationRule


class RuleIn(Schema):
    method: str = Field(max_length=20)
    address: str = Field(default="", max_length=500)
    delay_minutes: int = Field(default=0, ge=0, le=MAX_DELAY_MINUTES)


class RuleOrderIn(Schema):
    ids: list[int] = Field(max_length=100)


class RuleOut(Schema):
    id: int
    position: int
    method: str
    address: str = Field(
        description="Apprise URLs masked: scheme and host only, e.g. `json://example.com/***`."
    )
    delay_minutes: int


def rule_out(rule: NotificationRule) -> RuleOut:
    return RuleOut(
        id=rule.pk,
        position=rule.position,
        method=rule.method,
        address=masking.masked(rule.address),
        delay_minutes=rule.delay_minutes,
    )
