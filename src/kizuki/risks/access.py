"""Who may do what to risk records. Entry points call exactly one `access_*` or `can_*`
function, which fetches and authorises together: viewers read the register, responders (and a
risk's owner) write."""

from enum import StrEnum

from django.utils.translation import gettext as _

from kizuki.accounts.access import Requester, require_role
from kizuki.accounts.models import OrgRole, User
from kizuki.core.errors import NotAllowed
from kizuki.followups import access as followup_access
from kizuki.followups.access import Need as FollowUpNeed
from kizuki.followups.models import FollowUp
from kizuki.retros import access as retro_access
from kizuki.retros.access import Need as RetroNeed
from kizuki.retros.models import Retrospective
from kizuki.risks import queries
from kizuki.risks.models import Risk


class Need(StrEnum):
    """What the caller is about to do with a risk."""

    READ = "read"
    CHANGE = "change"  # edit it, move its status or impact, visit it


def access_risk(user: Requester | None, risk_id: int, need: Need = Need.READ) -> tuple[User, Risk]:
    """The risk and the person, if they may do `need` to it; refuses someone with no role at
    all before looking anything up, then NotFound."""
    person = require_role(user, OrgRole.VIEWER)
    risk = queries.get_risk(risk_id)
    check_risk(person, risk, need)
    return person, risk


def check_risk(person: User, risk: Risk, need: Need) -> None:
    """For a risk already fetched (pages use it through core.access.allows)."""
    if need == Need.CHANGE and not (
        person.has_org_role(OrgRole.RESPONDER) or risk.owner_id == person.pk
    ):
        raise NotAllowed(_("Only responders and its owner can change this risk."))


def can_read(user: Requester | None) -> User:
    return require_role(user, OrgRole.VIEWER)


def can_add(user: Requester | None) -> User:
    return require_role(user, OrgRole.RESPONDER)


def can_configure(user: Requester | None) -> User:
    """The Performance Review's day: admins only."""
    return require_role(user, OrgRole.ADMIN)


def access_followup_for_risk(user: Requester | None, followup_id: int) -> tuple[User, FollowUp]:
    """Recording a risk from a follow-up: responders, of a follow-up they may read."""
    person = can_add(user)
    return person, followup_access.access_followup(person, followup_id, FollowUpNeed.READ)[1]


def access_retrospective_for_risk(
    user: Requester | None, incident_ref: str
) -> tuple[User, Retrospective]:
    """Recording a risk from an incident's started retrospective: responders who may read it."""
    person = can_add(user)
    return person, retro_access.access_retrospective(person, incident_ref, RetroNeed.READ)[1]
