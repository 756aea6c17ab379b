"""Who may do what with alerts. Entry points call exactly one of these before acting: the
`access_*` functions fetch and authorise in one call. Ingestion has no check here: the
secret token in the integration's URL is the credential."""

from enum import StrEnum

from django.utils.translation import gettext as _

from kizuki.accounts.access import Requester, require_role
from kizuki.accounts.models import OrgRole, User
from kizuki.alerts import queries
from kizuki.alerts.models import AlertGroup, Integration, RoutingRule
from kizuki.catalog import access as catalog_access
from kizuki.catalog.models import Service
from kizuki.core.errors import NotAllowed


class Need(StrEnum):
    READ = "read"
    ACKNOWLEDGE = "acknowledge"
    RESPOND = "respond"  # resolve, silence


def access_alert_group(
    user: Requester | None, group_id: int, need: Need = Need.READ
) -> tuple[User, AlertGroup]:
    person = require_role(user, OrgRole.VIEWER)
    group = queries.get_group(group_id)
    check_alert_group(person, group, need)
    return person, group


def check_alert_group(person: Requester | None, group: AlertGroup, need: Need) -> User:
    """Authorise without fetching: pages use it (through core.access.allows) to show only
    the buttons a person may use."""
    person = require_role(person, OrgRole.VIEWER)
    if need == Need.RESPOND:
        require_role(person, OrgRole.RESPONDER)
    elif need == Need.ACKNOWLEDGE and not _may_acknowledge(person, group):
        raise NotAllowed(
            _("Only responders and the people paged may acknowledge this alert group.")
        )
    return person


def access_service_setup(user: Requester | None, service_id: int) -> tuple[User, Service]:
    """A service's integrations and routing rules: as for the service itself."""
    return catalog_access.access_service(user, service_id, catalog_access.Need.CHANGE)


def access_integration(
    user: Requester | None, service_id: int, integration_id: int
) -> tuple[User, Integration]:
    """One of a service's integrations, to change it: as for the service itself."""
    person, service = access_service_setup(user, service_id)
    return person, queries.get_integration(service, integration_id)


def access_routing_rule(
    user: Requester | None, service_id: int, rule_id: int
) -> tuple[User, RoutingRule]:
    """One of a service's routing rules, to change it: as for the service itself."""
    person, service = access_service_setup(user, service_id)
    return person, queries.get_routing_rule(service, rule_id)


def can_read(user: Requester | None) -> User:
    return require_role(user, OrgRole.VIEWER)


def can_raise_sos(user: Requester | None) -> User:
    """Anyone signed in may call for help."""
    return require_role(user, OrgRole.VIEWER)


def _may_acknowledge(person: User, group: AlertGroup) -> bool:
    """Responders, and anyone who was paged about this group (they got the page: they may
    say they are on it, whatever their role)."""
    return person.has_org_role(OrgRole.RESPONDER) or queries.was_paged(group, person.pk)
