"""System Risk Records clicked through in real Chromium on a phone (375 px), in Japanese and
in English: a risk is recorded with potential impact 6 and likelihood 2 (priority 12) and gets
its next visit from its status, an interim measure lowers its current impact (the history
shows the step down), it is visited (the clock moved), and it heads the register. Nothing
scrolls sideways. Screenshots at 375 px and 1280 px go to var/screenshots/ (risk-*.png).

The texts the test looks for come from the translation catalogue, so it passes whether or not
the Japanese is compiled yet."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from kizuki.accounts import actions as accounts
from kizuki.accounts.models import User
from tests.browser.conftest import in_, log_in, shoot
from tests.conftest import Api, MovableClock
from tests.risks.support import record

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("language", ["ja", "en"])
def test_a_risk_is_recorded_lowered_visited_and_heads_the_register(
    page: Page,
    responder: User,
    responder_api: Api,
    frozen_clock: MovableClock,
    screenshots: Path,
    language: str,
) -> None:
    t = in_(language)
    accounts.set_language(responder, language)
    record(responder_api, "Slow query on orders", potential_impact=3, likelihood=1)
    page.set_viewport_size({"width": 375, "height": 900})
    log_in(page, responder)
    page.goto("/risks/")
    expect(page.locator("html")).to_have_attribute("lang", language)
    page.get_by_role("link", name=t("Record a risk")).click()

    form = page.locator("form.risk-form")
    form.get_by_label(t("Title")).fill("外部決済APIの呼び出し回数制限")
    form.get_by_label(t("Status")).select_option("in_progress")
    form.get_by_label(t("Current impact")).select_option("3")
    form.get_by_label(t("Potential impact")).select_option("6")
    form.get_by_label(t("Likelihood")).select_option("2")
    form.get_by_role("textbox", name=re.compile("^" + re.escape(t("Cause")))).fill(
        "1回のリクエストで外部APIを二重に呼び出している"
    )
    shoot(page, screenshots, f"risk-new-{language}", back_to=375)
    form.get_by_role("button", name=t("Record the risk")).click()

    expect(page.get_by_test_id("risk-priority")).to_contain_text("12")
    expect(page.get_by_test_id("risk-next-visit")).to_have_text("2026-12-09")  # two weeks

    page.get_by_role("link", name=t("Edit"), exact=True).click()
    form = page.locator("form.risk-form")
    form.get_by_label(t("Status")).select_option("interim_done")
    form.get_by_label(t("Current impact")).select_option("1")
    form.get_by_label(t("Why it changes")).fill("二重呼び出しを解消した（暫定対策）")
    form.get_by_role("button", name=t("Save")).click()
    history = page.get_by_test_id("risk-history")
    expect(history).to_contain_text(t("Step down"))
    expect(history).to_contain_text("3 → 1")
    expect(page.get_by_test_id("risk-current")).to_have_text("1")
    expect(page.get_by_test_id("risk-next-visit")).to_have_text("2026-12-25")  # a month

    frozen_clock.advance(days=30)
    page.reload()
    page.get_by_label(t("What you checked")).fill("エラーは0件のまま")
    page.get_by_role("button", name=t("Record the visit")).click()
    expect(page.get_by_test_id("risk-next-visit")).to_have_text("2027-01-25")
    expect(history).to_contain_text("エラーは0件のまま")
    shoot(page, screenshots, f"risk-detail-{language}", back_to=375)

    page.goto("/risks/")
    first = page.get_by_test_id("risk-table").locator("tbody tr").first
    expect(first).to_contain_text("外部決済APIの呼び出し回数制限")
    expect(first).to_contain_text("12")
    shoot(page, screenshots, f"risk-register-{language}", back_to=375)


@pytest.mark.parametrize("language", ["ja", "en"])
def test_a_finding_of_a_review_is_promoted_to_a_risk_after_a_week(
    page: Page,
    responder: User,
    frozen_clock: MovableClock,
    screenshots: Path,
    language: str,
) -> None:
    t = in_(language)
    accounts.set_language(responder, language)
    page.set_viewport_size({"width": 375, "height": 900})
    log_in(page, responder)
    page.goto("/risks/")
    page.get_by_role("link", name=t("Performance Reviews")).click()
    page.get_by_role("button", name=t("Hold this week's review")).click()
    form = page.locator("form").filter(has=page.get_by_role("button", name=t("Raise it")))
    form.get_by_label(t("What looks odd")).fill("夜間バッチの処理時間が毎週伸びている")
    form.get_by_label(t("Assignee")).select_option("rei")
    form.get_by_role("button", name=t("Raise it")).click()
    finding = page.get_by_test_id("finding")
    finding.get_by_label(t("What the investigation found")).fill("注文テーブルの全件走査")
    finding.get_by_label(t("Status")).select_option("investigating")
    finding.get_by_label(t("Potential impact")).select_option("6")
    finding.get_by_role("button", name=t("Save the report")).click()
    expect(page.get_by_test_id("proposed")).to_have_count(0)

    frozen_clock.advance(days=7)
    page.reload()
    expect(page.get_by_test_id("proposed")).to_be_visible()
    shoot(page, screenshots, f"risk-review-{language}", back_to=375)
    page.get_by_label(t("Likelihood")).select_option("2")
    page.get_by_role("button", name=t("Promote to a risk")).click()
    expect(page.get_by_test_id("risk-priority")).to_contain_text("12")
    expect(page.get_by_test_id("risk-next-visit")).to_have_text("2026-12-16")
    expect(page.locator("main")).to_contain_text("注文テーブルの全件走査")
