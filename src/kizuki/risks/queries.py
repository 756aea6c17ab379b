"""Reads for risk records: lookup, the register (filtered, ordered by priority), the counts by
status, the risks due for a visit, a risk's history, the impact scales, the day in the
organisation's time zone."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, F, QuerySet
from django.utils.translation import gettext as _

from kizuki.core import clock
from kizuki.core.errors import InvalidInput, NotFound
from kizuki.core.schemas import INT_MAX
from kizuki.incidents import queries as incident_queries
from kizuki.incidents.models import ImpactScale
from kizuki.risks.models import OPEN, Change, Risk, Status

PAGE_SIZE_MAX = 200
# "Due for a visit this week": a next visit within this many days, or already past.
DUE_WITHIN_DAYS = 7


def day_of(moment: datetime) -> date:
    """Visit dates are days in the organisation's time zone (KIZUKI_TIME_ZONE)."""
    return moment.astimezone(ZoneInfo(settings.TIME_ZONE)).date()


def today() -> date:
    return day_of(clock.now())


def _with_details(found: QuerySet[Risk]) -> QuerySet[Risk]:
    return found.select_related("owner", "created_by").prefetch_related(
        # followups__incident: links of private incidents are left out (schemas.links_out).
        "services",
        "incidents",
        "retrospectives__incident",
        "followups__incident",
    )


def by_priority(found: QuerySet[Risk]) -> QuerySet[Risk]:
    """Highest priority first; unknown ones after the known, then the nearest visit."""
    return found.order_by(
        F("priority").desc(nulls_last=True), F("next_visit").asc(nulls_last=True), "id"
    )


def get_risk(risk_id: int) -> Risk:
    found = _with_details(Risk.objects.filter(pk=risk_id if 0 < risk_id <= INT_MAX else 0))
    risk = found.first()
    if risk is None:
        raise NotFound(_("No risk %(id)s.") % {"id": risk_id})
    return risk


@dataclass
class RiskFilter:
    status: str = ""  # a status, or "" for the open ones, or "all"
    service: str = ""  # a service's slug
    owner: str = ""  # a username


def filter_risks(criteria: RiskFilter) -> QuerySet[Risk]:
    found = _with_details(Risk.objects.all())
    if criteria.status == "all":
        pass
    elif criteria.status:
        if criteria.status not in Status.values:
            raise InvalidInput(
                _("Unknown status %(status)s; use one of %(statuses)s.")
                % {"status": criteria.status, "statuses": ", ".join(Status.values)}
            )
        found = found.filter(status=criteria.status)
    else:
        found = found.filter(status__in=OPEN)
    if criteria.service:
        found = found.filter(services__slug=criteria.service).distinct()
    if criteria.owner:
        found = found.filter(owner__username=criteria.owner)
    return by_priority(found)


def counts_by_status() -> list[tuple[str, str, int]]:
    """(status, label, how many) for every status, in the order of the statuses."""
    counted = dict(
        Risk.objects.values_list("status").annotate(n=Count("id")).values_list("status", "n")
    )
    return [(value, str(label), counted.get(value, 0)) for value, label in Status.choices]


def visits_due(on: date | None = None) -> QuerySet[Risk]:
    """Open risks whose next visit is within DUE_WITHIN_DAYS days, or past, the most overdue
    first; without their details (the dashboard counts them and shows a few)."""
    day = on or today()
    found = Risk.objects.filter(
        status__in=OPEN, next_visit__lte=day + timedelta(days=DUE_WITHIN_DAYS)
    )
    return found.order_by("next_visit", "id")


def due_for_visit(on: date | None = None) -> list[Risk]:
    """Open risks whose next visit is within DUE_WITHIN_DAYS days, or past."""
    return list(_with_details(visits_due(on)))


def is_overdue(risk: Risk, on: date | None = None) -> bool:
    return bool(risk.is_open and risk.next_visit and risk.next_visit < (on or today()))


def history(risk: Risk) -> list[Change]:
    return list(risk.changes.select_related("actor").order_by("at", "id"))


def scope_scale() -> list[ImpactScale]:
    return incident_queries.scope_scale()


def effect_scale() -> list[ImpactScale]:
    return incident_queries.effect_scale()
