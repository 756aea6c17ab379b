"""Who may do what with alerts. Entry points call exactly one of these before acting.
Ingestion has no check here: the secret token in the integration's URL is the credential."""

from typing import Any

from django.utils.translation import gettext as _

from kizuki.accounts.access import require_role
from kizuki.accounts.models import OrgRole, User
from kizuki.alerts import queries
from kizuki.alerts.models import AlertGroup
from kizuki.catalog.access import can_change_service
from kizuki.catalog.models import Service
from kizuki.core.errors import NotAllowed


def can_read(user: Any) -> User:
    return require_role(user, OrgRole.VIEWER)


def can_respond(user: Any) -> User:
    """Resolving and silencing alert groups."""
    return require_role(user, OrgRole.RESPONDER)


def can_acknowledge(user: Any, group: AlertGroup) -> User:
    """Responders, and anyone who was paged about this group (they got the page: they may
    say they are on it, whatever their role)."""
    person = require_role(user, OrgRole.VIEWER)
    if person.has_org_role(OrgRole.RESPONDER) or queries.was_paged(group, person.pk):
        return person
    raise NotAllowed(_("Only responders and the people paged may acknowledge this alert group."))


def can_raise_sos(user: Any) -> User:
    """Anyone signed in may call for help."""
    return require_role(user, OrgRole.VIEWER)


def can_configure(user: Any, service: Service) -> User:
    """A service's integrations and routing rules: as for the service itself."""
    return can_change_service(user, service)
