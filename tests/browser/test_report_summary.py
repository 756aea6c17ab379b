"""The report page in a real browser, on the demo data: it has numbers, fits a phone and a
desktop in both languages, and its definitions are there on hover."""

from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, expect

from kizuki.accounts import actions as accounts
from kizuki.accounts.models import User
from kizuki.demo import data as demo
from tests.browser.conftest import in_, log_in, menu_link, shoot
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
    menu_link(page, "Reports", exact=True).click()
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


@pytest.mark.browser
def test_the_report_charts_and_downloads(
    context: BrowserContext, frozen_clock: MovableClock, screenshots: Path
) -> None:
    demo.load()
    admin = User.objects.get(username="admin")
    accounts.set_password(admin, PASSWORD)
    page = context.new_page()
    log_in(page, admin)
    for language in ("en", "ja"):
        accounts.set_language(admin, language)
        say = in_(language)
        page.goto("/reports/")
        charts = page.get_by_test_id("report-charts")
        by_team = charts.get_by_role("img", name=say("Incidents by team"))
        expect(by_team).to_be_visible()
        # The chart fits its card at any width, and its numbers sit in a table beside it.
        box, card = by_team.bounding_box(), page.get_by_test_id("chart-by-team").bounding_box()
        assert box is not None
        assert card is not None
        assert box["x"] + box["width"] <= card["x"] + card["width"] + 1
        expect(page.get_by_test_id("chart-by-team").locator("table tbody tr").first).to_be_visible()
        expect(page.get_by_test_id("phase-detect")).to_be_visible()
        with page.expect_download(timeout=60_000) as pdf:  # WeasyPrint takes seconds
            page.get_by_test_id("download-pdf").click()
        assert pdf.value.suggested_filename.endswith(".pdf")
        with page.expect_download(timeout=30_000) as document:
            page.get_by_test_id("download-html").click()
        assert document.value.suggested_filename.startswith("incident-summary-")
        shoot(page, screenshots, f"charts-{language}")
        page.set_viewport_size({"width": 375, "height": 900})
        page.get_by_test_id("chart-phases-by-team").screenshot(
            path=str(screenshots / f"chart-phases-{language}-375.png")
        )
        page.set_viewport_size({"width": 1280, "height": 900})
