"""Who may search. Entry points call one of these first; which documents a reader then sees is
decided by queries.visible_to (the one place), and a similar-incidents request is authorised
by the incident's own check (incidents.access.access_incident)."""

from kizuki.accounts.access import Requester, require_role
from kizuki.accounts.models import OrgRole, User


def access_search(user: Requester | None) -> User:
    """Anyone signed in with a role may search; what they find is what they may read."""
    return require_role(user, OrgRole.VIEWER)
