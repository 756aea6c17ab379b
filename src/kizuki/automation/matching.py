"""Whether a rule's conditions hold for one occurrence of its event, and why.

The same test decides a live run (in the worker, at the time the event is handled) and the
editor's preview (against stored incidents, at the time each event happened then). `why`
is a list of plain codes and values, stored with the run and worded in the reader's language
by wording.py."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings

from kizuki.automation.models import Rule
from kizuki.incidents import mobilisation
from kizuki.incidents.models import Incident
from kizuki.incidents.paging_models import PagingSettings
from kizuki.schedules.rotation import is_jp_holiday


@dataclass
class Occurrence:
    """One event a rule may answer: about an incident, or an alert group without one."""

    event: str
    at: datetime
    incident: Incident | None = None
    severity: int | None = None
    services: set[str] = field(default_factory=set)
    team: str | None = None
    is_drill: bool = False
    subject: str = ""  # what it is about, for runs without an incident
    extra: dict[str, Any] = field(default_factory=dict)  # ids the actions may use


def of_incident(event: str, incident: Incident, at: datetime, **extra: Any) -> Occurrence:
    return Occurrence(
        event=event,
        at=at,
        incident=incident,
        severity=incident.severity.level if incident.severity else None,
        services={service.slug for service in incident.services.all()},
        team=incident.team.slug if incident.team else None,
        is_drill=incident.is_drill,
        subject=f"{incident.ref} {incident.title}",
        extra=extra,
    )


def holiday(at: datetime) -> bool:
    return is_jp_holiday(at.astimezone(ZoneInfo(settings.TIME_ZONE)).date())


def _flags(rule: Rule, found: Occurrence, hours: PagingSettings | None) -> list[Any] | None:
    """The yes/no conditions: drill, business hours, holidays."""
    reasons: list[Any] = []
    if rule.drill != "any":
        if found.is_drill != (rule.drill == "yes"):
            return None
        reasons.append(["drill", rule.drill])
    if rule.business_hours != "any":
        inside = mobilisation.in_business_hours(found.at, hours or mobilisation.paging_settings())
        if inside != (rule.business_hours == "in"):
            return None
        reasons.append(["business_hours", rule.business_hours])
    if rule.holidays != "any":
        if holiday(found.at) != (rule.holidays == "only"):
            return None
        reasons.append(["holidays", rule.holidays])
    return reasons


def why(rule: Rule, found: Occurrence, hours: PagingSettings | None = None) -> list[Any] | None:
    """The reasons the rule matches (each condition that narrowed it, as [code, value]), or
    None when a condition does not hold. A rule with no conditions matches with []."""
    reasons: list[Any] = []
    if rule.event != found.event:
        return None
    if rule.severities:
        if found.severity not in rule.severities:
            return None
        reasons.append(["severity", found.severity])
    if rule.services:
        hit = sorted(found.services & set(rule.services))
        if not hit:
            return None
        reasons.append(["services", hit])
    if rule.teams:
        if found.team not in rule.teams:
            return None
        reasons.append(["team", found.team])
    flags = _flags(rule, found, hours)
    return None if flags is None else reasons + flags
