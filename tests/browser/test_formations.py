"""Formations and checklists in real Chromium, in Japanese and English: on a declared
incident's page the commander sees the unfilled positions, fills two of them (one person holds
both), hands the commander position over, and ticks and unticks checklist items; each change
is on the timeline. The settings list shows the default formation. Screenshots at 375 px and
1280 px go to var/screenshots/."""

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from kizuki.accounts import actions as accounts
from kizuki.accounts.models import User
from kizuki.incidents import actions
from tests.browser.conftest import in_, log_in, menu_link, shoot
from tests.conftest import MovableClock, make_user

pytestmark = pytest.mark.browser

START_UP = {"ja": "コマンダーの初動", "en": "Commander's start-up"}
CHANNEL = {"ja": "障害対応用のチャンネルを開く", "en": "Open the incident channel"}
SCRIBE = {"ja": "記録担当", "en": "Scribe"}


def person(username: str, name: str, role: str = "responder") -> User:
    user = make_user(username, role)
    user.first_name = name
    user.save()
    return user


@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_commander_fills_positions_and_ticks_the_checklist(
    page: Page, screenshots: Path, frozen_clock: MovableClock, language: str
) -> None:
    t = in_(language)
    aki = person("aki", "Aki Sato")
    accounts.set_language(aki, language)
    person("ken", "Ken Abe")
    person("mei", "Mei Ito")
    incident = actions.report_incident(aki, "予約が失敗する / Bookings fail", severity=2)
    actions.assign_role(aki, incident, "incident_commander", aki)
    log_in(page, aki)
    page.goto(f"/incidents/{incident.ref}/")

    positions = page.get_by_test_id("positions")
    expect(positions.get_by_test_id("position-incident_commander")).to_contain_text("Aki Sato")
    scribe = positions.get_by_test_id("position-scribe")
    expect(scribe.get_by_test_id("unfilled")).to_have_text(t("Unfilled"))
    expect(positions.get_by_test_id("unfilled")).to_have_count(6)
    expect(positions.get_by_test_id("unfilled-count")).to_contain_text("6")
    shoot(page, screenshots, f"formations-incident-{language}")

    # Ken takes the scribe and the bridge positions.
    scribe.get_by_test_id("position-person").select_option("ken")
    scribe.get_by_test_id("position-add").click()
    scribe = page.get_by_test_id("positions").get_by_test_id("position-scribe")
    expect(scribe.get_by_test_id("holder")).to_contain_text("Ken Abe")
    bridge = page.get_by_test_id("positions").get_by_test_id("position-bridge")
    bridge.get_by_test_id("position-person").select_option("ken")
    bridge.get_by_test_id("position-add").click()
    bridge = page.get_by_test_id("positions").get_by_test_id("position-bridge")
    expect(bridge.get_by_test_id("holder")).to_contain_text("Ken Abe")
    expect(page.get_by_test_id("positions").get_by_test_id("unfilled")).to_have_count(4)

    # Mei takes over as commander: the position holds one person, the role follows.
    commander = page.get_by_test_id("positions").get_by_test_id("position-incident_commander")
    commander.get_by_test_id("position-person").select_option("mei")
    commander.get_by_test_id("position-add").click()
    commander = page.get_by_test_id("positions").get_by_test_id("position-incident_commander")
    expect(commander.get_by_test_id("holder")).to_have_count(1)
    expect(commander.get_by_test_id("holder")).to_contain_text("Mei Ito")

    # Ken leaves the scribe position again.
    scribe = page.get_by_test_id("positions").get_by_test_id("position-scribe")
    scribe.get_by_test_id("remove-holder").click()
    scribe = page.get_by_test_id("positions").get_by_test_id("position-scribe")
    expect(scribe.get_by_test_id("unfilled")).to_be_visible()

    # Ticking the start-up checklist.
    checklist = page.get_by_test_id("checklist-commander-start-up")
    expect(checklist.get_by_role("heading")).to_have_text(START_UP[language])
    item = checklist.get_by_test_id("item").nth(1)
    expect(item).to_contain_text(CHANNEL[language])
    item.get_by_test_id("tick").click()
    item = page.get_by_test_id("checklist-commander-start-up").get_by_test_id("item").nth(1)
    expect(item.get_by_role("checkbox")).to_have_attribute("aria-checked", "true")
    expect(item.locator(".tick-by")).to_contain_text("Aki Sato")
    shoot(page, screenshots, f"formations-ticked-{language}")
    for width in (375, 1280):  # the panel alone, to look at it closely
        page.set_viewport_size({"width": width, "height": 900})
        page.get_by_test_id("formations-panel").screenshot(
            path=screenshots / f"formations-panel-{language}-{width}.png"
        )

    # The timeline (after a reload: it polls) has the ticks and the positions' role changes.
    page.reload()
    timeline = page.get_by_test_id("timeline")
    expect(timeline).to_contain_text(CHANNEL[language])
    expect(timeline).to_contain_text("Ken Abe")
    item = page.get_by_test_id("checklist-commander-start-up").get_by_test_id("item").nth(1)
    item.get_by_test_id("tick").click()
    item = page.get_by_test_id("checklist-commander-start-up").get_by_test_id("item").nth(1)
    expect(item.get_by_role("checkbox")).to_have_attribute("aria-checked", "false")


@pytest.mark.parametrize("language", ["ja", "en"])
def test_ticking_works_without_javascript(
    browser: Browser, live_server: object, language: str
) -> None:
    context = browser.new_context(
        base_url=str(live_server), java_script_enabled=False, locale="en-US"
    )
    page = context.new_page()
    aki = person("aki", "Aki Sato")
    accounts.set_language(aki, language)
    incident = actions.report_incident(aki, "Bookings fail", severity=3)
    log_in(page, aki)
    page.goto(f"/incidents/{incident.ref}/")
    item = page.get_by_test_id("checklist-commander-start-up").get_by_test_id("item").first
    item.get_by_test_id("tick").click()
    item = page.get_by_test_id("checklist-commander-start-up").get_by_test_id("item").first
    expect(item.get_by_role("checkbox")).to_have_attribute("aria-checked", "true")
    context.close()


@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_settings_list_shows_the_default_formation(
    page: Page, screenshots: Path, language: str
) -> None:
    t = in_(language)
    viewer = person("vera", "Vera Kim", "viewer")
    accounts.set_language(viewer, language)
    log_in(page, viewer)
    menu_link(page, t("Formations")).click()
    formation = page.get_by_test_id("formation-standard")
    expect(formation.locator("li")).to_have_count(7)
    expect(formation).to_contain_text(SCRIBE[language])
    expect(page.get_by_test_id("template-commander-start-up").locator("li")).to_have_count(4)
    expect(page.get_by_test_id("edit-link")).to_have_count(0)
    shoot(page, screenshots, f"formations-settings-{language}")
