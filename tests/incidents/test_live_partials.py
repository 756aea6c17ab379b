"""The parts of a page that refresh in place: htmx's requests get just the partial, a normal
request (or a history restore) the whole page, and caches are told the two differ."""

import pytest
from django.test import Client

from kizuki.accounts.models import User
from kizuki.catalog.models import Service
from kizuki.incidents import actions
from tests.conftest import MovableClock

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def browser(user: User) -> Client:
    client = Client(headers={"Accept-Language": "en"})
    client.force_login(user)
    return client


def test_the_incident_poll_gets_the_read_only_parts_only(
    admin: User, service: Service, frozen_clock: MovableClock
) -> None:
    incident = actions.report_incident(admin, "Checkout times out", services=[service])
    page = f"/incidents/{incident.ref}/"
    client = browser(admin)

    whole = client.get(page)
    assert 'hx-trigger="every 10s"' in whole.text
    assert "Post status update" in whole.text
    assert "HX-Request" in whole["Vary"]

    live = client.get(page, {"seen": "reported"}, headers=HTMX)
    assert live.status_code == 200
    assert "<html" not in live.text
    assert 'id="incident-head"' in live.text
    assert 'id="timeline" hx-swap-oob="true"' in live.text
    assert 'id="latest-status" hx-swap-oob="true"' in live.text
    # No form is swapped while the status stays the same: nobody loses what they type.
    assert "<form" not in live.text
    assert "HX-Request" in live["Vary"]

    actions.transition(admin, incident, "declared", severity=2)
    moved = client.get(page, {"seen": "reported"}, headers=HTMX)
    assert 'id="next-step" hx-swap-oob="true"' in moved.text
    assert "Mark mitigated" in moved.text
    assert 'hx-get="/incidents/INC-1/?seen=declared"' in moved.text


def test_the_dashboard_poll_gets_the_lists_and_a_history_restore_the_page(
    admin: User, service: Service, frozen_clock: MovableClock
) -> None:
    actions.report_incident(admin, "Checkout times out", services=[service])
    client = browser(admin)

    lists = client.get("/", headers=HTMX)
    assert lists.text.lstrip().startswith('<div id="open-incidents"')
    assert "Checkout times out" in lists.text
    assert "<html" not in lists.text

    restored = client.get("/", headers=HTMX | {"HX-History-Restore-Request": "true"})
    assert "<html" in restored.text
