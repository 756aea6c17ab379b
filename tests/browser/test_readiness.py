"""The readiness page and looking after responders in real Chromium, in Japanese and English.
An admin opens the readiness page from the header menu and sees the team's real gaps, writes a
Golden Week read-through and marks it read; on a long incident's page the break reminder shows,
with the proposed hand-off of the commander role, taken with one click, and today's must-dos.
Screenshots at 375 px and 1280 px go to var/screenshots/."""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from kizuki.accounts import actions as accounts
from kizuki.accounts.models import User
from kizuki.core import periodic
from kizuki.incidents import actions
from tests.browser.conftest import in_, log_in, menu_link, shoot
from tests.conftest import MovableClock, make_user

pytestmark = pytest.mark.browser


def person(username: str, name: str, role: str = "responder") -> User:
    user = make_user(username, role)
    user.first_name = name
    user.save()
    return user


@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_readiness_page_shows_real_gaps_and_a_read_through(
    page: Page, screenshots: Path, frozen_clock: MovableClock, language: str
) -> None:
    t = in_(language)
    admin = person("aki", "Aki Mori", "admin")
    accounts.set_language(admin, language)
    nobody = accounts.create_user("ana", "responder", password="x-long-password-1")
    team = accounts.create_team("payments", "Payments")
    for member in (admin, nobody):
        accounts.add_member(team, member)
    log_in(page, admin)

    menu_link(page, t("Readiness")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Payments")
    gaps = page.get_by_test_id("gaps")
    expect(gaps.locator("[data-code='no_schedule']")).to_have_count(1)
    expect(gaps.locator("[data-code='area_without_owner']")).to_have_count(4)
    expect(gaps.locator("[data-code='no_recent_drill']")).to_have_count(1)
    expect(page.get_by_test_id("last-drill")).to_have_text(t("None yet"))

    # Golden Week: the admin writes the read-through for the team.
    page.locator("#new-read-through summary").click()
    form = page.get_by_test_id("read-through-form")
    form.locator("select[name='period']").select_option("golden_week")
    form.locator("input[name='starts_on']").fill("2027-04-29")
    form.locator("input[name='ends_on']").fill("2027-05-05")
    form.locator("textarea[name='items']").fill(
        "起動の4ステップ / The four start-up steps\nブリッジ通話の場所 / Where the bridge calls are"
    )
    form.get_by_role("button", name=t("Add")).click()
    card = page.get_by_test_id("read-through")
    expect(card.locator("li")).to_have_count(2)
    expect(card.get_by_test_id("not-read")).to_contain_text("ana")
    expect(gaps.locator("[data-code='read_through_unread']")).to_have_count(1)
    card.get_by_test_id("mark-read").click()
    expect(page.get_by_test_id("you-read")).to_have_text(t("You have read it."))
    expect(card.get_by_test_id("read-by")).to_contain_text("Aki Mori")
    shoot(page, screenshots, f"readiness-page-{language}")

    # A gap's link leads to where it is fixed.
    gaps.locator("[data-code='no_schedule'] a").click()
    page.wait_for_url("**/schedules/new/")


@pytest.mark.parametrize("language", ["ja", "en"])
def test_a_long_incident_reminds_to_take_a_break_and_hands_over_in_one_click(
    page: Page, screenshots: Path, frozen_clock: MovableClock, language: str
) -> None:
    t = in_(language)
    admin = person("aki", "Aki Mori", "admin")
    accounts.set_language(admin, language)
    person("oto", "Oto Ueda")
    incident = actions.report_incident(admin, "予約が失敗する / Bookings fail", severity=3)
    actions.assign_role(admin, incident, "incident_commander", admin)
    log_in(page, admin)
    # The system area: Aki owns it, Oto stands in first.
    page.goto("/settings/areas/")
    page.locator("details.area-edit", has=page.get_by_test_id("edit-system")).locator(
        "summary"
    ).click()
    form = page.get_by_test_id("edit-system")
    form.locator("select[name$='-owner']").select_option("aki")
    form.locator("select[name$='-deputy_1']").select_option("oto")
    form.get_by_role("button", name=t("Save")).click()
    expect(page.get_by_role("status")).to_be_visible()

    page.goto(f"/incidents/{incident.ref}/")
    panel = page.get_by_test_id("looking-after")
    expect(panel.get_by_test_id("break-reminder")).to_have_count(0)
    panel.locator("input[name='text']").fill("決済ワーカーを再起動 / Restart the payment workers")
    panel.get_by_role("button", name=t("Add")).click()
    expect(panel.get_by_test_id("today")).to_contain_text("Restart the payment workers")
    panel.locator("input[name='text']").fill("ログを保全 / Keep the logs")
    panel.get_by_role("button", name=t("Add")).click()
    panel.get_by_test_id("today").get_by_role("button", name=t("Done")).last.click()
    expect(panel.get_by_test_id("today").locator(".done")).to_contain_text("Keep the logs")

    frozen_clock.advance(hours=3)
    assert periodic.run_once() >= 1
    page.goto(f"/incidents/{incident.ref}/")
    panel = page.get_by_test_id("looking-after")
    expect(panel.get_by_test_id("break-reminder")).to_be_visible()
    expect(panel.get_by_test_id("handoff")).to_contain_text("Oto Ueda")
    expect(page.locator(".timeline")).to_contain_text("Oto Ueda")
    shoot(page, screenshots, f"readiness-incident-{language}")

    panel.get_by_test_id("hand-over").click()
    expect(page.get_by_role("status")).to_have_text(t("The commander role was handed over."))
    # Oto commands now; should he need a break, the proposal is Aki, the system area's owner.
    expect(page.get_by_test_id("looking-after").get_by_test_id("handoff")).to_contain_text(
        "Aki Mori"
    )
