"""Who may read reports. The summary only aggregates what every viewer may already read
(incidents, retrospectives, follow-ups), so viewers read it too."""

from kizuki.accounts.access import Requester, require_role
from kizuki.accounts.models import OrgRole, User


def can_read_summary(user: Requester | None) -> User:
    return require_role(user, OrgRole.VIEWER)
