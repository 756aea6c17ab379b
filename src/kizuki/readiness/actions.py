"""The write path for read-throughs (admins write them, people mark them read) and for the
break-reminder settings. Each action owns its transaction and writes its audit record."""

from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from kizuki.accounts.models import Team, User
from kizuki.core import clock
from kizuki.core.actions import record_audit
from kizuki.core.errors import InvalidInput
from kizuki.incidents.models import Severity
from kizuki.readiness import queries
from kizuki.readiness.models import CareSetting, Period, Reading, ReadThrough

NAME_MAX = 200
ITEM_MAX = 500
ITEMS_MAX = 50
MINUTES_MAX = 7 * 24 * 60


def _describe(item: ReadThrough) -> dict[str, Any]:
    return {
        "name": item.name,
        "period": item.period,
        "starts_on": item.starts_on.isoformat(),
        "ends_on": item.ends_on.isoformat(),
        "team": item.team.slug if item.team else None,
        "items": list(item.items),
    }


def _items(values: list[str]) -> list[str]:
    items = [str(value).strip() for value in values if str(value).strip()]
    if not items:
        raise InvalidInput(_("A read-through needs at least one item."))
    if len(items) > ITEMS_MAX:
        raise InvalidInput(_("A read-through has at most %(max)s items.") % {"max": ITEMS_MAX})
    for item in items:
        if len(item) > ITEM_MAX:
            raise InvalidInput(
                _("An item may be at most %(limit)s characters.") % {"limit": ITEM_MAX}
            )
    return items


def _year_ok(day: date) -> bool:
    return 1970 <= day.year <= 2999


@transaction.atomic
def create_read_through(
    actor: User | None,
    *,
    name: str,
    period: str,
    starts_on: date,
    ends_on: date,
    team: str | None,
    items: list[str],
) -> ReadThrough:
    """A checklist to read before a peak period (Golden Week, summer, year end or a custom one)
    by a team (None: everyone). An empty name takes the period's. Audited."""
    if period not in Period.values:
        raise InvalidInput(
            _("Unknown period %(period)s; use one of %(periods)s.")
            % {"period": period, "periods": ", ".join(Period.values)}
        )
    text = str(name or "").strip() or (str(Period(period).label) if period != Period.CUSTOM else "")
    if not text:
        raise InvalidInput(_("Give a custom period a name."))
    if len(text) > NAME_MAX:
        raise InvalidInput(_("The name may be at most %(limit)s characters.") % {"limit": NAME_MAX})
    if not (_year_ok(starts_on) and _year_ok(ends_on)):
        raise InvalidInput(_("Give a day between the years 1970 and 2999."))
    queries.check_dates(starts_on, ends_on)
    found_team = None
    if team:
        found_team = Team.objects.filter(slug=team).first()
        if found_team is None:
            raise InvalidInput(_("Unknown team %(team)s.") % {"team": team})
    item = ReadThrough.objects.create(
        name=text,
        period=period,
        starts_on=starts_on,
        ends_on=ends_on,
        team=found_team,
        items=_items(items),
        created_by=actor if actor is not None and actor.pk else None,
        created_at=clock.now(),
    )
    record_audit(actor, "read_through.create", item, after=_describe(item))
    return item


def mark_read(person: User, item: ReadThrough) -> Reading:
    """`person` has read the read-through; marking it again keeps the first time."""
    found = Reading.objects.filter(read_through=item, user=person).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            reading = Reading.objects.create(read_through=item, user=person, read_at=clock.now())
            record_audit(person, "read_through.read", item, after={"user": person.username})
    except IntegrityError:
        return Reading.objects.get(read_through=item, user=person)  # a double click
    return reading


@transaction.atomic
def set_care(
    actor: User | None,
    *,
    severity: int | None,
    enabled: bool,
    after_minutes: int,
    every_minutes: int,
) -> CareSetting:
    """After how long (and how often again) an incident of `severity` (None: any severity
    without its own setting) reminds its responders to take a break. Audited."""
    for value in (after_minutes, every_minutes):
        if not 1 <= value <= MINUTES_MAX:
            raise InvalidInput(_("Give minutes between 1 and %(max)s.") % {"max": MINUTES_MAX})
    found_severity = None
    if severity is not None:
        found_severity = Severity.objects.filter(level=severity).first()
        if found_severity is None:
            raise InvalidInput(_("Unknown severity %(level)s.") % {"level": severity})
    row = CareSetting.objects.select_for_update().filter(
        severity=found_severity
    ).first() or CareSetting(severity=found_severity)
    before = (
        {"enabled": row.enabled, "after": row.after_minutes, "every": row.every_minutes}
        if row.pk
        else None
    )
    row.enabled, row.after_minutes, row.every_minutes = enabled, after_minutes, every_minutes
    row.save()
    record_audit(
        actor,
        "care_setting.set",
        row,
        before=before,
        after={
            "severity": severity,
            "enabled": enabled,
            "after": after_minutes,
            "every": every_minutes,
        },
    )
    return row
