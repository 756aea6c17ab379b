"""Who may read and change automation rules. Entry points call exactly one of these: the
`access_*` function fetches and authorises in one call."""

from enum import StrEnum

from kizuki.accounts.access import Requester, require_role
from kizuki.accounts.models import OrgRole, User
from kizuki.automation import queries
from kizuki.automation.models import Rule


class Need(StrEnum):
    READ = "read"
    CHANGE = "change"


def can_read(user: Requester | None) -> User:
    """Responders read the rules and their runs (what Kizuki will do on their incidents)."""
    return require_role(user, OrgRole.RESPONDER)


def can_manage(user: Requester | None) -> User:
    """Creating, changing and deleting rules: admins."""
    return require_role(user, OrgRole.ADMIN)


def access_rule(user: Requester | None, rule_id: int, need: Need = Need.READ) -> tuple[User, Rule]:
    person = require_role(user, OrgRole.RESPONDER)
    if need == Need.CHANGE:
        require_role(person, OrgRole.ADMIN)
    return person, queries.get_rule(rule_id)
