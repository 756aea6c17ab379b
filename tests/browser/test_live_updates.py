"""Open pages refresh themselves: what someone adds through the API shows up without a reload.

The page polls every 10 seconds; the browser's clock is Playwright's fake one, so the test
runs those seconds forward instead of waiting for them. Changes go through the API over real
HTTP to the live server."""

import json
import urllib.request
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from kizuki.accounts import actions as accounts
from kizuki.accounts.models import User
from kizuki.catalog.models import Service
from kizuki.incidents import actions
from tests.browser.conftest import log_in
from tests.conftest import MovableClock

POLL_MS = 10_000


def call_api(base_url: str, token: str, path: str, body: dict[str, Any]) -> None:
    request = urllib.request.Request(  # noqa: S310 - the live server on loopback
        f"{base_url}/api/v1{path}",
        data=json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        assert response.status in (200, 201)


@pytest.mark.browser
def test_incident_page_shows_new_entries_and_status_without_reload(
    page: Page, admin: User, service: Service, frozen_clock: MovableClock, live_server: Any
) -> None:
    incident = actions.report_incident(admin, "Checkout times out", services=[service])
    _, token = accounts.create_token(admin, "live test")
    page.clock.install()
    log_in(page, admin)
    page.goto(f"/incidents/{incident.ref}/")
    # Someone is typing in the timeline form while the page refreshes: it must survive.
    typing = page.get_by_label("What happened?")
    typing.fill("half-written note")
    path = f"/incidents/{incident.ref}"
    call_api(live_server.url, token, f"{path}/timeline", {"text": "DB failover"})
    call_api(live_server.url, token, f"{path}/transitions", {"to": "declared", "severity": 2})
    timeline = page.get_by_test_id("timeline")
    expect(timeline).not_to_contain_text("DB failover")

    page.clock.run_for(POLL_MS + 1_000)

    expect(timeline).to_contain_text("DB failover")
    expect(page.get_by_test_id("status")).to_have_text("Declared")
    # The next-step buttons follow the new status; nothing was reloaded.
    expect(page.get_by_role("button", name="Mark mitigated")).to_be_visible()
    expect(typing).to_have_value("half-written note")


@pytest.mark.browser
def test_dashboard_lists_a_new_incident_without_reload(
    page: Page, admin: User, service: Service, frozen_clock: MovableClock, live_server: Any
) -> None:
    _, token = accounts.create_token(admin, "live test")
    page.clock.install()
    log_in(page, admin)
    expect(page.get_by_text("No open incidents.")).to_be_visible()
    call_api(live_server.url, token, "/incidents", {"title": "Search is slow"})

    page.clock.run_for(POLL_MS + 1_000)

    expect(page.get_by_role("link", name="Search is slow")).to_be_visible()
    expect(page.get_by_text("No open incidents.")).to_have_count(0)
