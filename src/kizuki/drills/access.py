"""Who may read and run drills and test pages. Entry points call exactly one of these: the
`access_*` functions fetch and authorise in one call."""

from enum import StrEnum

from django.utils.translation import gettext as _

from kizuki.accounts.access import Requester, require_role
from kizuki.accounts.models import OrgRole, User
from kizuki.core.errors import NotAllowed
from kizuki.drills import queries
from kizuki.drills.models import Drill, Scenario, TestPage


class Need(StrEnum):
    READ = "read"
    CHANGE = "change"
    START = "start"


def can_read(user: Requester | None) -> User:
    """Everyone with a role sees the scenarios, the drills run and the test pages sent."""
    return require_role(user, OrgRole.VIEWER)


def can_create_scenario(user: Requester | None) -> User:
    """Writing scenarios: admins."""
    return require_role(user, OrgRole.ADMIN)


def can_send_test_page(user: Requester | None) -> User:
    """Sending a test page (it wakes people up): responders and admins."""
    return require_role(user, OrgRole.RESPONDER)


def access_scenario(
    user: Requester | None, scenario_id: int, need: Need = Need.READ
) -> tuple[User, Scenario]:
    """A scenario to read, change (admins) or start a drill from (responders and admins)."""
    person = require_role(user, OrgRole.VIEWER)
    if need == Need.CHANGE:
        require_role(person, OrgRole.ADMIN)
    if need == Need.START:
        require_role(person, OrgRole.RESPONDER)
    return person, queries.get_scenario(scenario_id)


def access_drill(user: Requester | None, drill_id: int) -> tuple[User, Drill]:
    person = require_role(user, OrgRole.VIEWER)
    return person, queries.get_drill(drill_id, person)


def access_test_page(
    user: Requester | None, test_page_id: int, need: Need = Need.READ
) -> tuple[User, TestPage]:
    """A test page to read, or to acknowledge (CHANGE): only a person it paged may, since the
    acknowledgement is what shows the page reached them."""
    person = require_role(user, OrgRole.VIEWER)
    test_page = queries.get_test_page(test_page_id)
    if need == Need.CHANGE and not queries.was_paged(test_page, person):
        raise NotAllowed(_("Only the people this test paged may acknowledge it."))
    return person, test_page
