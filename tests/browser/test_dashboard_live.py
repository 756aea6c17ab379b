"""The dashboard's live panels in a real browser: the MTTA/MTTR trend drawn as sparklines, the
overdue follow-ups and the risks due for a visit, in English and Japanese, on a phone and a
desktop (nothing scrolls sideways)."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, expect

from kizuki.accounts import actions as accounts
from kizuki.accounts.models import User
from tests.browser.conftest import in_, log_in, shoot
from tests.conftest import Api, MovableClock
from tests.reports.dashboard_story import build_story


@pytest.mark.browser
def test_the_dashboards_live_panels(
    context: BrowserContext,
    responder: User,
    responder_api: Api,
    frozen_clock: MovableClock,
    screenshots: Path,
) -> None:
    build_story(responder, responder_api, frozen_clock)
    page = context.new_page()
    log_in(page, responder)
    for language in ("en", "ja"):
        accounts.set_language(responder, language)
        say = in_(language)
        page.goto("/")
        trend = page.locator(".dash-trend")
        expect(
            trend.get_by_role("heading", name=say("Response times, week by week"))
        ).to_be_visible()
        expect(trend.get_by_role("img")).to_have_count(2)
        expect(trend.locator("svg g[id*='-bar-']")).to_have_count(16)
        expect(trend.get_by_role("img").first).to_have_accessible_name(
            re.compile(r"MTTA.*2026-11-23")  # the numbers, said to screen readers
        )
        expect(trend.get_by_role("link", name=say("Incident Summary Report"))).to_be_visible()
        followups = page.locator(".dash-followups")
        expect(followups.get_by_role("link", name="Alert on pool use")).to_be_visible()
        risks = page.locator(".dash-risks")
        expect(risks.get_by_role("link", name="Single database primary")).to_be_visible()
        shoot(page, screenshots, f"dashboard-live-{language}")
