"""Drills in real Chromium, in Japanese and English: a responder opens the drills page from the
header menu, starts a drill from a scenario and lands on its drill incident, whose timeline
shows the scenario's fake alert; back on the drills page they send themselves a test page,
open the acknowledge link the page carries and acknowledge it, and the results list shows who
acknowledged and how fast. Screenshots at 375 px and 1280 px go to var/screenshots/."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from kizuki.accounts import actions as accounts
from kizuki.drills import actions as drills
from kizuki.drills import queries as drill_queries
from tests.browser.conftest import in_, log_in, menu_link, shoot
from tests.conftest import MovableClock, make_user

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("language", ["ja", "en"])
def test_a_responder_starts_a_drill_and_acknowledges_a_test_page(
    page: Page, screenshots: Path, frozen_clock: MovableClock, language: str
) -> None:
    t = in_(language)
    admin = make_user("aki", "admin")
    rei = make_user("rei", "responder")
    accounts.set_language(rei, language)
    drills.create_scenario(
        admin,
        {
            "title": "決済が失敗する / Payments fail",
            "description": "カード決済がタイムアウトする。 / Card payments time out.",
            "severity": 2,
            "fake_alerts": [{"title": "checkout 5xx > 5%"}],
            "events": [{"offset_minutes": 10, "kind": "note", "text": "X で苦情 / Complaints"}],
        },
    )
    log_in(page, rei)

    menu_link(page, t("Drills")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Drills"))
    expect(page.get_by_test_id("scenarios")).to_contain_text("決済が失敗する / Payments fail")
    shoot(page, screenshots, f"drills-page-{language}")

    page.get_by_test_id("start-drill").click()
    expect(page).to_have_url(re.compile(r"/incidents/INC-\d+/$"))
    expect(page.get_by_test_id("timeline")).to_contain_text(
        t("Drill: fake alert “%(text)s”.") % {"text": "checkout 5xx > 5%"}
    )
    shoot(page, screenshots, f"drills-incident-{language}")

    page.goto("/drills/")
    expect(page.get_by_test_id("past-drills")).to_contain_text("決済が失敗する / Payments fail")
    section = page.get_by_test_id("test-pages")
    section.locator("summary").click()
    form = page.get_by_test_id("test-page-form")
    form.locator("select[name='target']").select_option(f"user:{rei.pk}")
    form.get_by_role("button", name=t("Send test page")).click()
    expect(page.get_by_role("status")).to_have_text(
        t("Test page sent to %(people)s.") % {"people": "rei"}
    )
    sent = drill_queries.test_pages().get()
    row = page.get_by_test_id(f"test-page-{sent.pk}")
    expect(row.get_by_test_id("acknowledged")).to_have_text(t("Not yet"))

    frozen_clock.advance(seconds=65)
    page.goto(f"/drills/test-pages/ack/{drills.ack_token(sent.pk)}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Acknowledge this test page?"))
    shoot(page, screenshots, f"drills-test-page-ack-{language}")
    page.get_by_test_id("test-page-ack").get_by_role("button", name=t("Acknowledge")).click()
    expect(page.get_by_role("status")).to_have_text(
        t("Test page acknowledged. Kizuki can reach you.")
    )
    took = t("%(minutes)s min %(seconds)s s") % {"minutes": 1, "seconds": 5}
    expect(page.get_by_test_id(f"test-page-{sent.pk}").get_by_test_id("acknowledged")).to_have_text(
        t("%(who)s after %(took)s") % {"who": "rei", "took": took}
    )
    shoot(page, screenshots, f"drills-test-pages-{language}")
