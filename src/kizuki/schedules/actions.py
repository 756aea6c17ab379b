"""The only write path for on-call schedules, overrides and calendar feed secrets. Each action
validates all of its input first, then writes the rows and the audit record in one
transaction."""

import re
import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from kizuki.accounts.models import Team, User
from kizuki.accounts.queries import get_user
from kizuki.core import clock
from kizuki.core.actions import record_audit
from kizuki.core.errors import Conflict, InvalidInput
from kizuki.schedules import queries, rotation, shift_calendar
from kizuki.schedules.models import CalendarFeed, Holidays, Layer, LayerMember, Override, Schedule

LENGTH = re.compile(r"^(?:(\d{1,4})w)?(?:(\d{1,4})d)?(?:(\d{1,5})h)?(?:(\d{1,6})m)?$")
UNITS = (("w", 7 * 86400), ("d", 86400), ("h", 3600), ("m", 60))
# At least an hour, so a daylight-saving jump can never put two hand-offs out of order;
# at most a year, so a typo does not freeze a rotation.
SHIFT_MIN = 3600
SHIFT_MAX = 366 * 86400
HANDOFF = re.compile(r"^(\d{1,2}):(\d{2})(?::00)?$")


@dataclass
class LayerInput:
    """One layer as typed by a person: usernames in rotation order and plain strings."""

    users: list[str]
    shift_length: str
    handoff_time: str = "09:00"
    start: str = ""
    name: str = ""
    holidays: str = Holidays.ANY_DAY


@dataclass
class _LayerPlan:
    members: list[User]
    shift_seconds: int
    handoff_time: time
    start: date
    name: str
    holidays: str


def parse_shift_length(text: str) -> int:
    """ "12h", "1d", "1w", "90m" or combinations such as "1d12h", in seconds."""
    match = LENGTH.match(text.strip().lower().replace(" ", ""))
    if not match or not any(match.groups()):
        raise InvalidInput(
            _('Unknown shift length "%(text)s"; write e.g. 12h, 1d, 1w or 90m.') % {"text": text}
        )
    counts = [int(n or 0) for n in match.groups()]
    seconds = sum(count * size for count, (_unit, size) in zip(counts, UNITS, strict=True))
    if not SHIFT_MIN <= seconds <= SHIFT_MAX:
        raise InvalidInput(
            _("A shift lasts from one hour to 366 days; %(text)s does not.") % {"text": text}
        )
    return seconds


def format_shift_length(seconds: int) -> str:
    """The shortest spelling parse_shift_length reads back: 604800 -> "1w", 5400 -> "1h30m"."""
    parts = []
    for unit, size in UNITS:
        count, seconds = divmod(seconds, size)
        if count:
            parts.append(f"{count}{unit}")
    return "".join(parts) or "0m"


def parse_zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name.strip())
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(
            _('Unknown time zone "%(zone)s"; use a name such as Asia/Tokyo.') % {"zone": name}
        ) from None


def parse_handoff(text: str) -> time:
    match = HANDOFF.match(text.strip())
    hour, minute = (int(match.group(1)), int(match.group(2))) if match else (99, 99)
    if hour > 23 or minute > 59:
        raise InvalidInput(
            _('Unknown hand-off time "%(text)s"; write HH:MM, e.g. 09:00.') % {"text": text}
        )
    return time(hour, minute)


def parse_start(text: str, zone: ZoneInfo) -> date:
    """A date, or an ISO date-time whose local date (in the schedule's zone) is used; empty
    means today there. The layer's hand-off time, not the time given, starts the rotation."""
    text = text.strip()
    if not text:
        return clock.now().astimezone(zone).date()
    try:
        if len(text) == 10:
            return _sane_year(date.fromisoformat(text), text)
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidInput(
            _('Unknown start "%(text)s"; write YYYY-MM-DD.') % {"text": text}
        ) from None
    day = (moment.astimezone(zone) if moment.tzinfo else moment).date()
    return _sane_year(day, text)


def first_start(handoff: time, zone: ZoneInfo) -> date:
    """The start date of a rotation given none: its first shift is the one under way now,
    from the latest hand-off (today's, or yesterday's while today's is still ahead), so a new
    schedule has someone on call from the moment it exists."""
    now = clock.now()
    today = now.astimezone(zone).date()
    if rotation.local_instant(datetime.combine(today, handoff), zone) <= now:
        return today
    return today - timedelta(days=1)


def _sane_year(day: date, text: str) -> date:
    # Far-off years only come from typos, and near year 1 or 9999 time-zone arithmetic overflows.
    if not 1970 <= day.year <= 2999:
        raise InvalidInput(_("Use a date between 1970 and 2999; %(text)s is not.") % {"text": text})
    return day


def _clean_name(name: str) -> str:
    name = name.strip()
    if not name:
        raise InvalidInput(_("A schedule needs a name."))
    if len(name) > 200:
        raise InvalidInput(_("The name may be at most 200 characters."))
    return name


def _plan_layer(number: int, spec: LayerInput, zone: ZoneInfo) -> _LayerPlan:
    usernames = [name.strip() for name in spec.users if name.strip()]
    if not usernames:
        raise InvalidInput(_("Layer %(number)s needs at least one person.") % {"number": number})
    if spec.holidays not in Holidays.values:
        raise InvalidInput(
            _('Unknown holiday rule "%(rule)s"; use one of %(rules)s.')
            % {"rule": spec.holidays, "rules": ", ".join(Holidays.values)}
        )
    name = spec.name.strip() or _("Layer %(number)s") % {"number": number}
    if len(name) > 200:
        raise InvalidInput(_("A layer name may be at most 200 characters."))
    handoff = parse_handoff(spec.handoff_time)
    return _LayerPlan(
        members=[get_user(username) for username in usernames],
        shift_seconds=parse_shift_length(spec.shift_length),
        handoff_time=handoff,
        start=parse_start(spec.start, zone) if spec.start.strip() else first_start(handoff, zone),
        name=name,
        holidays=spec.holidays,
    )


def _plan_layers(layers: list[LayerInput], zone: ZoneInfo) -> list[_LayerPlan]:
    if not layers:
        raise InvalidInput(_("A schedule needs at least one layer."))
    return [_plan_layer(number, spec, zone) for number, spec in enumerate(layers, start=1)]


def _write_layers(schedule: Schedule, plans: list[_LayerPlan]) -> None:
    for position, planned in enumerate(plans):
        _write_layer(Layer(schedule=schedule, position=position), planned)


def _write_layer(layer: Layer, planned: _LayerPlan) -> Layer:
    """Save the layer with the planned fields and put its members in order."""
    layer.name = planned.name
    layer.shift_seconds = planned.shift_seconds
    layer.handoff_time = planned.handoff_time
    layer.start = planned.start
    layer.holidays = planned.holidays
    layer.save()
    layer.members.all().delete()
    LayerMember.objects.bulk_create(
        LayerMember(layer=layer, user=user, position=index)
        for index, user in enumerate(planned.members)
    )
    return layer


def snapshot(schedule: Schedule) -> dict[str, Any]:
    """The audited view of a schedule: plain JSON values."""
    return {
        "name": schedule.name,
        "time_zone": schedule.time_zone,
        "team": schedule.team.slug if schedule.team else None,
        "layers": [
            {
                "name": layer.name,
                "users": [member.user.username for member in layer.members.all()],
                "shift_seconds": layer.shift_seconds,
                "handoff_time": layer.handoff_time.strftime("%H:%M"),
                "start": layer.start.isoformat(),
                "holidays": layer.holidays,
            }
            for layer in schedule.layers.prefetch_related("members__user").order_by("position")
        ],
    }


@transaction.atomic
def create_schedule(
    actor: User | None,
    name: str,
    time_zone: str,
    layers: list[LayerInput],
    *,
    team: Team | None = None,
    description: str = "",
) -> Schedule:
    name = _clean_name(name)
    zone = parse_zone(time_zone)
    plans = _plan_layers(layers, zone)
    if Schedule.objects.filter(name=name).exists():
        raise Conflict(_('There is already a schedule named "%(name)s".') % {"name": name})
    schedule = Schedule.objects.create(
        name=name, time_zone=zone.key, team=team, description=description.strip()
    )
    _write_layers(schedule, plans)
    record_audit(actor, "schedule.create", schedule, after=snapshot(schedule))
    return schedule


@transaction.atomic
def replace_layers(actor: User | None, schedule: Schedule, layers: list[LayerInput]) -> Schedule:
    """Swap every layer for new ones; overrides stay."""
    schedule = Schedule.objects.select_for_update().get(pk=schedule.pk)
    plans = _plan_layers(layers, ZoneInfo(schedule.time_zone))
    before = snapshot(schedule)
    schedule.layers.all().delete()
    _write_layers(schedule, plans)
    record_audit(actor, "schedule.layers", schedule, before=before, after=snapshot(schedule))
    return schedule


def _locked(schedule: Schedule) -> Schedule:
    # Changes to one schedule queue behind each other, so two edits never interleave.
    return Schedule.objects.select_for_update().get(pk=schedule.pk)


@transaction.atomic
def add_layer(actor: User | None, schedule: Schedule, spec: LayerInput) -> Layer:
    """A new layer on top: where it has someone on call, it wins over the layers below."""
    schedule = _locked(schedule)
    last = schedule.layers.order_by("-position").first()
    position = last.position + 1 if last else 0
    planned = _plan_layer(position + 1, spec, ZoneInfo(schedule.time_zone))
    before = snapshot(schedule)
    layer = _write_layer(Layer(schedule=schedule, position=position), planned)
    record_audit(actor, "schedule.layers", schedule, before=before, after=snapshot(schedule))
    return layer


@transaction.atomic
def update_layer(actor: User | None, layer: Layer, spec: LayerInput) -> Layer:
    """Change one layer: its name, shifts, hand-off, start, holiday rule and people in order."""
    schedule = _locked(layer.schedule)
    layer = Layer.objects.get(pk=layer.pk)
    planned = _plan_layer(layer.position + 1, spec, ZoneInfo(schedule.time_zone))
    before = snapshot(schedule)
    _write_layer(layer, planned)
    record_audit(actor, "schedule.layers", schedule, before=before, after=snapshot(schedule))
    return layer


@transaction.atomic
def remove_layer(actor: User | None, layer: Layer) -> None:
    """Remove one layer. Removing the last one is allowed: then only overrides put anyone on
    call, and the schedule page warns about the gap."""
    schedule = _locked(layer.schedule)
    before = snapshot(schedule)
    Layer.objects.filter(pk=layer.pk).delete()
    record_audit(actor, "schedule.layers", schedule, before=before, after=snapshot(schedule))


def _in_use(schedule: Schedule, policies: list[str]) -> Conflict:
    return Conflict(
        _(
            '"%(schedule)s" cannot be deleted while escalation policies page it: %(policies)s.'
            " Take it out of them first."
        )
        % {"schedule": schedule.name, "policies": ", ".join(policies)}
    )


@transaction.atomic
def delete_schedule(actor: User | None, schedule: Schedule) -> None:
    """Delete a schedule with its layers, overrides and calendar address; refused while an
    escalation policy pages it (it would page nobody)."""
    schedule = _locked(schedule)
    if policies := queries.policies_using(schedule):
        raise _in_use(schedule, policies)
    record_audit(actor, "schedule.delete", schedule, before=snapshot(schedule))
    try:
        schedule.delete()
    except ProtectedError:
        # The database's own guard (on_delete=PROTECT) for a policy added in between.
        raise _in_use(schedule, queries.policies_using(schedule)) from None


@transaction.atomic
def cover_shift(
    actor: User | None, schedule: Schedule, person: User, starts_at: datetime, ends_at: datetime
) -> Override:
    """`person` covers one shift of a layer (taking it, or given it in a swap): an override
    over exactly that shift. Refused if no such shift runs any more, so a page shown before
    someone else changed the schedule cannot cover the wrong span."""
    schedule = _locked(schedule)
    if ends_at <= clock.now():
        raise InvalidInput(_("This shift is over."))
    shift = shift_calendar.find_shift(schedule, starts_at, ends_at)
    if shift is None or shift.source == rotation.OVERRIDE:
        raise Conflict(_("This shift has changed since the page was shown. Look again."))
    if shift.user.pk == person.pk:
        raise InvalidInput(_("%(user)s already has this shift.") % {"user": person.username})
    return add_override(actor, schedule, person, starts_at, ends_at)


def _override_snapshot(override: Override) -> dict[str, Any]:
    return {
        "schedule": override.schedule.name,
        "user": override.user.username,
        "starts_at": override.starts_at.isoformat(),
        "ends_at": override.ends_at.isoformat(),
    }


@transaction.atomic
def add_override(
    actor: User | None, schedule: Schedule, user: User, starts_at: datetime, ends_at: datetime
) -> Override:
    """`user` covers the schedule from starts_at until ends_at, whoever the layers name."""
    if starts_at.tzinfo is None or ends_at.tzinfo is None:
        raise InvalidInput(_("Give the time with its time zone, e.g. 2026-11-25T10:00:00+09:00."))
    if ends_at <= starts_at:
        raise InvalidInput(_("An override must end after it starts."))
    for moment in (starts_at, ends_at):
        _sane_year(moment.date(), moment.isoformat())
    override = Override.objects.create(
        schedule=schedule, user=user, starts_at=starts_at, ends_at=ends_at, created_by=actor
    )
    record_audit(actor, "schedule.override.add", override, after=_override_snapshot(override))
    return override


@transaction.atomic
def remove_override(actor: User | None, override: Override) -> None:
    record_audit(actor, "schedule.override.remove", override, before=_override_snapshot(override))
    override.delete()


def _new_secret() -> tuple[str, str]:
    # 9 random bytes spell the 12-character selector; the 32 after them are the secret.
    return secrets.token_urlsafe(9), secrets.token_urlsafe(32)


def _owner(schedule: Schedule | None, person: User | None) -> Schedule | User:
    if schedule is not None and person is None:
        return schedule
    if person is not None and schedule is None:
        return person
    msg = "a calendar feed belongs to one schedule or one person"
    raise ValueError(msg)


@transaction.atomic
def calendar_feed(*, schedule: Schedule | None = None, person: User | None = None) -> CalendarFeed:
    """The feed secret of a schedule or a person, made the first time someone asks for it."""
    _owner(schedule, person)
    selector, secret = _new_secret()
    feed, _created = CalendarFeed.objects.get_or_create(
        schedule=schedule,
        user=person,
        defaults={"selector": selector, "secret": secret, "created_at": clock.now()},
    )
    return feed


@transaction.atomic
def rotate_calendar_feed(
    actor: User | None, *, schedule: Schedule | None = None, person: User | None = None
) -> CalendarFeed:
    """A new secret for the feed: the old URL stops working at once."""
    owner = _owner(schedule, person)
    existing = calendar_feed(schedule=schedule, person=person)
    feed = CalendarFeed.objects.select_for_update().get(pk=existing.pk)
    feed.selector, feed.secret = _new_secret()
    feed.created_at = clock.now()
    feed.save(update_fields=["selector", "secret", "created_at"])
    # The audit says who rotated whose feed, never the secret.
    record_audit(actor, "calendar.rotate", owner, after={"rotated_at": feed.created_at.isoformat()})
    return feed
