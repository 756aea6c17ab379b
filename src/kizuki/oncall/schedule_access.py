"""Who may read and change on-call schedules. Entry points call one of these first."""

from typing import Any

from kizuki.accounts.access import require_role
from kizuki.accounts.models import OrgRole, User


def can_read_schedules(user: Any) -> User:
    return require_role(user, OrgRole.VIEWER)


def can_edit_schedules(user: Any) -> User:
    """Responders arrange cover among themselves: schedules and overrides are theirs to change."""
    return require_role(user, OrgRole.RESPONDER)
