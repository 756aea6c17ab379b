"""Under the Content-Security-Policy every page still works and the browser blocks nothing.

Chromium reports each blocked script, style or handler on the console ("... violates the
following Content Security Policy directive ..."); the test walks the pages an admin uses
and fails on any such report."""

import re

import pytest
from playwright.sync_api import ConsoleMessage, Page, expect

from kizuki.accounts.models import User
from kizuki.catalog.models import Service
from kizuki.incidents import actions
from tests.browser.conftest import log_in
from tests.conftest import MovableClock

PAGES = [
    "/",
    "/incidents/",
    "/report/",
    "/status/",
    "/alerts/",
    "/services/",
    "/sos/",
    "/schedules/",
    "/schedules/new/",
    "/escalation-policies/",
    "/escalation-policies/new/",
    "/account/notifications/",
    "/api/v1/docs",
    "/admin/",
    "/admin/accounts/user/",
]


@pytest.mark.browser
def test_pages_work_without_csp_violations(
    page: Page, admin: User, service: Service, frozen_clock: MovableClock
) -> None:
    blocked: list[str] = []

    def watch(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            blocked.append(f"{page.url}: {message.text}")

    page.on("console", watch)
    incident = actions.report_incident(
        admin, "Checkout times out", "Since 10:00", services=[service]
    )

    log_in(page, admin)
    for path in PAGES:
        response = page.goto(path)
        assert response is not None
        assert response.status == 200, path
        assert "default-src 'self'" in response.headers["content-security-policy"], path
    # Swagger UI draws the operations with its own (self-hosted) script.
    page.goto("/api/v1/docs")
    expect(page.get_by_text("/api/v1/health").first).to_be_visible()

    # The incident page's forms still post, and the language switcher (a script file) works.
    page.goto(f"/incidents/{incident.ref}/")
    page.get_by_label("What happened?").fill("Rolled back the config change")
    page.get_by_role("button", name="Add to timeline").click()
    expect(page.get_by_text("Rolled back the config change")).to_be_visible()
    page.get_by_role("banner").get_by_label("Language").select_option("ja")
    expect(page.locator("html")).to_have_attribute("lang", "ja")
    expect(page).to_have_url(re.compile(rf"/incidents/{incident.ref}/$"))

    assert blocked == []
