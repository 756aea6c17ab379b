"""Who may read and change on-call schedules. Entry points call one of these first."""

from typing import Any

from django.utils.translation import gettext as _

from kizuki.accounts.access import require_role
from kizuki.accounts.models import OrgRole, User
from kizuki.core.errors import NotAllowed


def can_read_schedules(user: Any) -> User:
    return require_role(user, OrgRole.VIEWER)


def can_edit_schedules(user: Any) -> User:
    """Responders arrange cover among themselves: schedules and overrides are theirs to change."""
    return require_role(user, OrgRole.RESPONDER)


def can_manage_person_calendar(user: Any, person: User) -> User:
    """A person's calendar address shows their shifts to anyone holding it: only they and
    admins may see or change it."""
    actor = require_role(user, OrgRole.VIEWER)
    if actor.pk != person.pk and not actor.has_org_role(OrgRole.ADMIN):
        raise NotAllowed(
            _("Only %(user)s and admins may see or change this calendar address.")
            % {"user": person.username}
        )
    return actor
