"""Who may read and change on-call schedules. Entry points call one of these first: the
`access_*` functions fetch and authorise in one call."""

from enum import StrEnum

from django.utils.translation import gettext as _

from kizuki.accounts.access import Requester, require_role
from kizuki.accounts.models import OrgRole, User
from kizuki.core.errors import NotAllowed
from kizuki.schedules import queries
from kizuki.schedules.models import Layer, Override, Schedule


class Need(StrEnum):
    READ = "read"
    EDIT = "edit"  # its layers, overrides, calendar address, and deleting it
    TAKE = "take"  # take one of its shifts oneself


def access_schedule(
    user: Requester | None, schedule_id: int, need: Need = Need.READ
) -> tuple[User, Schedule]:
    if need == Need.TAKE:
        return _access_to_take(user, schedule_id)
    person = can_edit_schedules(user) if need == Need.EDIT else can_read_schedules(user)
    return person, queries.get_schedule(schedule_id)


def _access_to_take(user: Requester | None, schedule_id: int) -> tuple[User, Schedule]:
    """Responders may take any shift (they may add overrides anyway); people in the schedule's
    rotation may take shifts of their own schedule whatever their role: arranging cover among
    themselves is what they do."""
    person = can_read_schedules(user)
    schedule = queries.get_schedule(schedule_id)
    check_take(person, schedule)
    return person, schedule


def check_take(person: User, schedule: Schedule) -> None:
    if person.has_org_role(OrgRole.RESPONDER) or queries.is_member(schedule, person):
        return
    raise NotAllowed(
        _("Only people in this schedule's rotation, responders and admins may take its shifts.")
    )


def access_layer(user: Requester | None, schedule_id: int, layer_id: int) -> tuple[User, Layer]:
    """A layer of the schedule, to change or remove it."""
    person, schedule = access_schedule(user, schedule_id, Need.EDIT)
    return person, queries.get_layer(schedule, layer_id)


def access_override(
    user: Requester | None, schedule_id: int, override_id: int
) -> tuple[User, Override]:
    """An override on the schedule, to remove it."""
    person, schedule = access_schedule(user, schedule_id, Need.EDIT)
    return person, queries.get_override(schedule, override_id)


def access_person_calendar(user: Requester | None, username: str) -> tuple[User, User]:
    """The person whose calendar address it is, and who asks. The address shows their shifts
    to anyone holding it: only they and admins may see or change it."""
    actor = require_role(user, OrgRole.VIEWER)
    person = queries.get_person(username)
    if actor.pk != person.pk and not actor.has_org_role(OrgRole.ADMIN):
        raise NotAllowed(
            _("Only %(user)s and admins may see or change this calendar address.")
            % {"user": person.username}
        )
    return actor, person


def can_read_schedules(user: Requester | None) -> User:
    return require_role(user, OrgRole.VIEWER)


def can_edit_schedules(user: Requester | None) -> User:
    """Responders arrange cover among themselves: schedules and overrides are theirs to change."""
    return require_role(user, OrgRole.RESPONDER)
