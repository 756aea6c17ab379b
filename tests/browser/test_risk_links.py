"""A risk recorded from a follow-up in one click, in real Chromium on a phone (375 px), in
Japanese and in English: the responder lands on the risk's edit page, sets potential impact 6
and likelihood 2, sees priority 12, and the follow-up's page links to the risk. Nothing scrolls
sideways. Screenshots at 375 px and 1280 px go to var/screenshots/ (risk-link-*.png).

The texts the test looks for come from the translation catalogue, so it passes whether or not
the Japanese is compiled yet."""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from kizuki.accounts import actions as accounts
from kizuki.accounts.models import User
from tests.browser.conftest import in_, log_in, shoot
from tests.conftest import Api, MovableClock
from tests.followups.support import resolved_incident, write

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("language", ["ja", "en"])
def test_a_follow_up_becomes_a_risk_in_one_click(
    page: Page,
    responder: User,
    responder_api: Api,
    frozen_clock: MovableClock,
    screenshots: Path,
    language: str,
) -> None:
    t = in_(language)
    accounts.set_language(responder, language)
    ref = resolved_incident(responder_api, title="決済がタイムアウトする")
    followup = write(
        responder_api,
        ref,
        "カードトークンを新しい保管庫へ移す",
        owner="rei",
        description="旧保管庫は毎秒500リクエストで制限がかかる。",
    )
    page.set_viewport_size({"width": 375, "height": 900})
    log_in(page, responder)
    page.goto(f"/followups/{followup['id']}/")
    expect(page.locator("html")).to_have_attribute("lang", language)
    shoot(page, screenshots, f"risk-link-followup-before-{language}", back_to=375)
    page.get_by_role("button", name=t("Record as a system risk")).click()

    form = page.locator("form.risk-form")
    expect(form.get_by_label(t("Title"))).to_have_value("カードトークンを新しい保管庫へ移す")
    form.get_by_label(t("Potential impact")).select_option("6")
    form.get_by_label(t("Likelihood")).select_option("2")
    form.get_by_role("button", name=t("Save")).click()
    expect(page.get_by_test_id("risk-priority")).to_contain_text("12")
    expect(page.get_by_test_id("risk-status")).to_have_text(t("Not started"))
    shoot(page, screenshots, f"risk-link-risk-{language}", back_to=375)

    risk_url = page.url.removeprefix(page.url.split("/risks/")[0])
    page.get_by_test_id("risk-followups").get_by_role("link").click()
    linked = page.get_by_test_id("linked-risks")
    expect(linked).to_contain_text("カードトークンを新しい保管庫へ移す")
    expect(linked.get_by_role("link")).to_have_attribute("href", risk_url)
    shoot(page, screenshots, f"risk-link-followup-after-{language}", back_to=375)
