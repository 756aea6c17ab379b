"""Who may read the status page and manage stakeholder subscriptions.

The status page is for every logged-in user, and for anyone when KIZUKI_STATUS_PAGE_PUBLIC is
set. E-mail subscriptions are open to the same people. Apprise URLs and Slack channels are
configuration (and Apprise URLs hold secrets): admins only."""

from django.conf import settings
from django.utils.translation import gettext as _

from kizuki.accounts.access import Requester, require_role
from kizuki.accounts.models import OrgRole, User
from kizuki.core.errors import NotAllowed
from kizuki.incidents import access as incidents_access
from kizuki.incidents.models import Incident
from kizuki.stakeholders import queries
from kizuki.stakeholders.models import Kind, Subscription


def is_public() -> bool:
    return bool(settings.KIZUKI_STATUS_PAGE_PUBLIC)


def can_read_status(user: Requester | None) -> User | None:
    """The reader, or None for an anonymous reader of a public page."""
    if is_public() and not isinstance(user, User):
        return None
    return require_role(user, OrgRole.VIEWER)


def can_subscribe(user: Requester | None, kind: str) -> User | None:
    if kind == Kind.EMAIL:
        return can_read_status(user)
    return require_role(user, OrgRole.ADMIN)


def can_list_subscriptions(user: Requester | None) -> User:
    return require_role(user, OrgRole.VIEWER)


def access_subscription(user: Requester | None, subscription_id: int) -> tuple[User, Subscription]:
    """A subscription, to stop it. Admins any; others the subscriptions they made or that go
    to their own address. (Anyone holding a message's unsubscribe link may use it, without
    logging in.)"""
    person = require_role(user, OrgRole.VIEWER)
    subscription = queries.get_subscription(subscription_id)
    if person.has_org_role(OrgRole.ADMIN) or subscription.created_by_id == person.pk:
        return person, subscription
    own = subscription.kind == Kind.EMAIL and person.email.lower() == subscription.address
    if own and person.email:
        return person, subscription
    raise NotAllowed(_("You may only stop your own subscriptions."))


def access_deliveries(user: Requester | None, ref: str) -> tuple[User, Incident]:
    """The incident whose stakeholder deliveries a responder wants to see."""
    return incidents_access.access_incident(user, ref, incidents_access.Need.RESPOND)
