"""Under "Resolved" the status page never says an incident is still going on: it shows the
final stakeholder message (posted once it was resolved), or just when it was resolved."""

import re

import pytest
from django.test import Client

from kizuki.accounts.models import User
from kizuki.catalog.models import Service
from tests.conftest import Api, MovableClock
from tests.incidents.support import english, move, report
from tests.stakeholders.support import tell_stakeholders

pytestmark = pytest.mark.django_db


def section(user: User, testid: str) -> str:
    client = Client(headers={"Accept-Language": "en"})
    client.force_login(user)
    html = client.get("/status/").content.decode()
    found = re.search(rf'data-testid="{testid}">(.*?)</section>', html, re.S)
    assert found, testid
    return found.group(1)


@pytest.fixture
def recovering(api: Api, service: Service, frozen_clock: MovableClock) -> str:
    """A SEV2 whose last word to stakeholders, while mitigated, was "recovery in progress"."""
    ref: str = report(api, "Card payments time out", severity=2, services=[service.slug])["number"]
    tell_stakeholders(api, ref, "pool exhausted", plain_text="Some card payments fail.")
    frozen_clock.advance(minutes=20)
    assert move(api, ref, "mitigated").status_code == 200
    tell_stakeholders(api, ref, "failover done", plain_text="Recovery in progress.")
    frozen_clock.advance(minutes=20)
    return ref


def test_a_resolved_incident_without_a_final_message_says_only_that_it_is_resolved(
    viewer: User, viewer_api: Api, api: Api, recovering: str
) -> None:
    ongoing = section(viewer, "ongoing")
    assert "Recovery in progress." in ongoing  # true while it lasted

    assert move(api, recovering, "resolved").status_code == 200

    resolved = section(viewer, "resolved")
    assert "Card payments time out" in resolved
    assert "Recovery in progress." not in resolved
    assert "Some card payments fail." not in resolved
    assert "No update for stakeholders yet." not in resolved
    assert 'data-testid="plain-status">Resolved<' in resolved
    assert "Resolved 2026-11-25 10:40" in " ".join(resolved.split())
    [entry] = english(viewer_api).get("/status").json()["recently_resolved"]
    assert entry["status_text"] == "Resolved"
    assert entry["latest_update"] is None


def test_a_resolved_incident_shows_its_final_message(
    viewer: User, viewer_api: Api, api: Api, recovering: str, frozen_clock: MovableClock
) -> None:
    assert move(api, recovering, "resolved").status_code == 200
    tell_stakeholders(api, recovering, "all good", plain_text="Card payments work again.")
    frozen_clock.advance(days=1)
    assert move(api, recovering, "closed").status_code == 200

    resolved = section(viewer, "resolved")
    assert 'data-testid="stakeholder-update">Card payments work again.<' in resolved
    assert "Recovery in progress." not in resolved
    [entry] = english(viewer_api).get("/status").json()["recently_resolved"]
    assert entry["latest_update"]["text"] == "Card payments work again."
