"""Fixtures for stakeholder communication: two services, their subscribers, a SEV2 incident."""

import pytest

from kizuki.accounts import actions as accounts
from kizuki.catalog import actions as catalog
from kizuki.catalog.models import Service
from kizuki.stakeholders import actions
from kizuki.stakeholders.models import Kind, Subscription
from tests.conftest import Api
from tests.incidents.support import english, report


@pytest.fixture
def api(responder_api: Api) -> Api:
    return english(responder_api)


@pytest.fixture
def search(service: Service) -> Service:
    """A second service beside `service` (checkout)."""
    return catalog.create_service("search", "Search", accounts.create_team("find", "Find"))


@pytest.fixture
def sev2(api: Api, service: Service) -> str:
    """A declared SEV2 incident on checkout."""
    incident = report(api, "Card payments time out", severity=2, services=[service.slug])
    return str(incident["number"])


def subscribe(
    address: str, service: Service | None = None, kind: str = Kind.EMAIL, language: str = ""
) -> Subscription:
    subscription, _created = actions.subscribe(None, kind, address, service, language=language)
    return subscription
