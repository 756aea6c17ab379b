"""Automation rules in real Chromium, in Japanese and English: an admin opens the rules from
the header menu (the seed rules are listed, disabled, with what Kizuki already does), writes
a rule in the editor — declared, SEV1/SEV2, outside business hours, then a follow-up — and
previews it: the out-of-hours SEV2 of last month shows, the business-hours one does not.
Saving lists it; declaring a matching incident runs it, and the incident's timeline says so.
Screenshots at 375 px and 1280 px go to var/screenshots/."""

from datetime import UTC, datetime
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from kizuki.accounts import actions as accounts
from kizuki.incidents import actions
from tests.browser.conftest import in_, log_in, menu_link, shoot
from tests.conftest import MovableClock, make_user
from tests.jobs import run_worker
from tests.schedules.support import set_clock

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("language", ["ja", "en"])
def test_an_admin_writes_previews_and_saves_a_rule(
    page: Page, screenshots: Path, frozen_clock: MovableClock, language: str
) -> None:
    t = in_(language)
    admin = make_user("aki", "admin")
    accounts.set_language(admin, language)
    # 3 November, 22:00 in Tokyo (a Tuesday): out of hours.
    set_clock(frozen_clock, datetime(2026, 11, 3, 13, 0, tzinfo=UTC))
    night = actions.report_incident(admin, "夜間の決済エラー / Payments fail at night", severity=2)
    # 4 November, 11:00 in Tokyo: business hours.
    set_clock(frozen_clock, datetime(2026, 11, 4, 2, 0, tzinfo=UTC))
    day = actions.report_incident(admin, "日中の遅延 / Slow in the day", severity=2)
    run_worker()  # what they set off happened then
    set_clock(frozen_clock, datetime(2026, 11, 25, 12, 0, tzinfo=UTC))  # 21:00 in Tokyo
    log_in(page, admin)

    menu_link(page, t("Automation"), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Automation rules"))
    rules = page.get_by_test_id("rules")
    expect(rules.locator("tbody tr")).to_have_count(3)
    expect(rules).to_contain_text(t("Disabled"))
    shoot(page, screenshots, f"automation-rules-{language}")

    page.get_by_test_id("new-rule").click()
    form = page.get_by_test_id("rule-form")
    form.get_by_label(t("Name")).fill("夜の重大障害 / Big ones at night")
    form.locator("select[name='event']").select_option("declared")
    form.locator("input[name='severities'][value='1']").check()
    form.locator("input[name='severities'][value='2']").check()
    form.locator("select[name='business_hours']").select_option("out")
    first = page.get_by_test_id("action-1")
    first.locator("select[name='action_0_kind']").select_option("create_followup")
    first.locator("input[name='action_0_title']").fill("夜間の対応を振り返る / Review the night")
    form.get_by_test_id("preview-button").click()
    preview = page.get_by_test_id("preview")
    expect(preview.get_by_test_id("preview-match")).to_have_count(1)
    expect(preview.get_by_test_id("preview-match")).to_contain_text(night.ref)
    expect(preview).not_to_contain_text(day.ref)
    shoot(page, screenshots, f"automation-editor-{language}")

    form.get_by_role("button", name=t("Save"), exact=True).click()
    expect(page.get_by_role("status")).to_contain_text(t("Rule saved."))
    expect(page.get_by_role("heading", level=1)).to_have_text("夜の重大障害 / Big ones at night")

    incident = actions.report_incident(admin, "深夜の障害 / Down at night", severity=1)
    run_worker()
    page.goto(f"/incidents/{incident.ref}/")
    expect(page.locator("body")).to_contain_text("夜の重大障害 / Big ones at night")
    page.goto("/settings/automation/")
    expect(page.get_by_test_id("rules").locator("tbody tr")).to_have_count(4)
    page.get_by_role("link", name="夜の重大障害 / Big ones at night").click()
    expect(page.get_by_test_id("run")).to_have_count(1)
    expect(page.get_by_test_id("run")).to_contain_text(incident.ref)
    shoot(page, screenshots, f"automation-rule-{language}")
