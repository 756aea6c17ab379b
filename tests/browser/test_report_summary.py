"""The report page in a real browser, on the demo data: it has numbers, fits a phone and a
desktop in both languages, and its definitions are there on hover."""

from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, expect

from kizuki.accounts import actions as accounts
from kizuki.accounts.models import User
from kizuki.demo import data as demo
from tests.browser.conftest import log_in, shoot
from tests.conftest import PASSWORD, MovableClock


@pytest.mark.browser
def test_the_report_page_on_the_demo_data(
    context: BrowserContext, frozen_clock: MovableClock, screenshots: Path
) -> None:
    demo.load()
    admin = User.objects.get(username="admin")
    accounts.set_password(admin, PASSWORD)
    page = context.new_page()
    log_in(page, admin)
    page.get_by_role("link", name="Reports").first.click()
    expect(page.get_by_role("heading", name="Incident Summary Report")).to_be_visible()
    incidents = page.get_by_test_id("total-incidents").locator(".report-figure")
    assert int(incidents.inner_text()) > 0
    expect(page.get_by_test_id("total-mtta").get_by_text("MTTA")).to_have_attribute(
        "title",
        "MTTA: the mean time to acknowledge of the incidents acknowledged, drills and "
        "false alarms excluded.",
    )
    shoot(page, screenshots, "summary-en")
    accounts.set_language(admin, "ja")
    page.reload()
    shoot(page, screenshots, "summary-ja")
    page.get_by_test_id("previous-quarter").click()
    expect(page.get_by_test_id("report-period")).to_contain_text("2026-07-01")
