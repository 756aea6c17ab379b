"""The summary page's major incidents, System Risk Records opened and closed, and
retrospective health per team, read in real Chromium in Japanese and in English, at a phone's
and a desktop's width (screenshots in var/screenshots/)."""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from kizuki.accounts import actions as accounts
from kizuki.accounts.models import User
from kizuki.risks import actions as risks
from tests.browser.conftest import in_, log_in, shoot
from tests.conftest import Api, MovableClock
from tests.reports.history import PERIOD, build

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("language", ["ja", "en"])
def test_majors_risks_and_retrospectives_by_team_on_the_page(
    page: Page,
    responder: User,
    responder_api: Api,
    frozen_clock: MovableClock,
    screenshots: Path,
    language: str,
) -> None:
    t = in_(language)
    history = build(responder_api, frozen_clock)
    kept = risks.create_risk(responder, {"title": "Pool size set by hand", "potential_impact": 6})
    fixed = risks.create_risk(responder, {"title": "No canary on deploy", "potential_impact": 10})
    risks.update_risk(responder, fixed, {"status": "done"})
    accounts.set_language(responder, language)

    log_in(page, responder)
    page.goto(f"/reports/?start={PERIOD[0]}&end={PERIOD[1]}")
    majors = page.get_by_test_id("report-majors")
    expect(majors).to_contain_text(t("Major incidents"))
    # SEV2 A and C are major; SEV3 B is not.
    expect(majors.get_by_role("link", name=history.a.ref)).to_be_visible()
    expect(majors.get_by_role("link", name=history.c.ref)).to_be_visible()
    expect(majors.get_by_role("link", name=history.b.ref)).to_have_count(0)
    risk_card = page.get_by_test_id("report-risks")
    expect(risk_card.get_by_role("link", name=kept.ref)).to_be_visible()
    expect(risk_card.get_by_role("link", name=fixed.ref)).to_have_count(2)  # opened, closed
    by_team = page.get_by_test_id("report-retrospectives-by-team")
    expect(by_team.locator("tbody tr").first).to_contain_text("Payments")
    expect(by_team.locator("tr.report-all")).to_contain_text(t("All teams"))
    majors.scroll_into_view_if_needed()
    shoot(page, screenshots, f"summary-majors-{language}")
