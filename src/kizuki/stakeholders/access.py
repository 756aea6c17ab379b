"""Who may read the status page and manage stakeholder subscriptions.

The status page is for every logged-in user, and for anyone when KIZUKI_STATUS_PAGE_PUBLIC is
set. E-mail subscriptions are open to the same people. Apprise URLs and Slack channels are
configuration (and Apprise URLs hold secrets): admins only."""

from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from kizuki.accounts.access import require_role
from kizuki.accounts.models import OrgRole, User
from kizuki.core.errors import NotAllowed
from kizuki.stakeholders.models import Kind, Subscription


def is_public() -> bool:
    return bool(settings.KIZUKI_STATUS_PAGE_PUBLIC)


def can_read_status(user: Any) -> User | None:
    """The reader, or None for an anonymous reader of a public page."""
    if is_public() and not isinstance(user, User):
        return None
    return require_role(user, OrgRole.VIEWER)


def can_subscribe(user: Any, kind: str) -> User | None:
    if kind == Kind.EMAIL:
        return can_read_status(user)
    return require_role(user, OrgRole.ADMIN)


def can_list_subscriptions(user: Any) -> User:
    return require_role(user, OrgRole.VIEWER)


def can_unsubscribe(user: Any, subscription: Subscription) -> User:
    """Admins any; others the subscriptions they made or that go to their own address.
    (Anyone holding a message's unsubscribe link may use it, without logging in.)"""
    person = require_role(user, OrgRole.VIEWER)
    if person.has_org_role(OrgRole.ADMIN) or subscription.created_by_id == person.pk:
        return person
    own = subscription.kind == Kind.EMAIL and person.email.lower() == subscription.address
    if own and person.email:
        return person
    raise NotAllowed(_("You may only stop your own subscriptions."))


def can_see_deliveries(user: Any) -> User:
    return require_role(user, OrgRole.RESPONDER)
