"""Issue 14's story in real Chromium, in Japanese and English: a responder starts a drill from
the drills page and lands on its incident, marked as a drill. Once the worker has done its
part, the page shows the proposed area leads (the owner on leave passed over), the formation's
positions with the scribe the automation rule named, the checklists (a tick goes on the
timeline) and the rule's run on the timeline; with the clock moved past the set time, the
break reminder. The readiness page shows the team's real gaps and the drill as the last one.
Screenshots at 375 px and 1280 px go to var/screenshots/."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from kizuki.accounts import actions as accounts
from kizuki.accounts.models import User
from kizuki.catalog.models import Service
from tests.browser.conftest import in_, log_in, menu_link, shoot
from tests.conftest import Api, MovableClock
from tests.jobs import run_worker
from tests.readiness.story_support import BREAK_AFTER_MINUTES, RULE_NAME, SCENARIO_TITLE, prepare

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("language", ["ja", "en"])
def test_a_drill_from_the_drills_page_to_the_readiness_page(
    page: Page,
    screenshots: Path,
    frozen_clock: MovableClock,
    admin_api: Api,
    responder: User,
    service: Service,
    language: str,
) -> None:
    t = in_(language)
    story = prepare(admin_api, service, responder)
    accounts.set_language(responder, language)
    log_in(page, responder)

    # The drills page, from the header menu: start the scenario's drill.
    menu_link(page, t("Drills")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Drills"))
    scenario = page.get_by_test_id(f"scenario-{story.scenario}")
    expect(scenario).to_contain_text(SCENARIO_TITLE)
    scenario.get_by_test_id("start-drill").click()
    expect(page).to_have_url(re.compile(r"/incidents/INC-\d+/$"))
    ref = page.url.rstrip("/").rsplit("/", 1)[1]
    run_worker()  # paging, the automation rule: what the worker does right after
    page.reload()

    expect(page.get_by_test_id("drill")).to_have_text(t("Drill"))
    leads = page.get_by_test_id("area-leads")
    system = leads.get_by_test_id("area-lead-system")
    expect(system.get_by_test_id("lead")).to_have_text("ken")
    expect(system.locator("li.chain-absent")).to_contain_text("oto")
    expect(system.locator("li.chain-absent")).to_contain_text(t("away"))
    expect(leads.get_by_test_id("area-lead-customers-guests").get_by_test_id("lead")).to_have_text(
        t("Nobody")
    )

    positions = page.get_by_test_id("positions")
    expect(positions.get_by_test_id("position-scribe").get_by_test_id("holder")).to_contain_text(
        "aoi"
    )
    expect(positions.get_by_test_id("unfilled")).to_have_count(6)

    timeline = page.get_by_test_id("timeline")
    expect(timeline).to_contain_text(RULE_NAME)
    expect(timeline).to_contain_text(
        t("Drill: fake alert “%(text)s”.") % {"text": "5xx rate above 5% on checkout"}
    )

    checklist = page.get_by_test_id("checklist-commander-start-up")
    item = checklist.get_by_test_id("item").first
    item.get_by_test_id("tick").click()
    item = page.get_by_test_id("checklist-commander-start-up").get_by_test_id("item").first
    expect(item.get_by_role("checkbox")).to_have_attribute("aria-checked", "true")
    expect(page.get_by_test_id("checklist-commander-conduct")).to_be_visible()

    # The drill has run for the set time: the worker reminds its responders to take a break.
    expect(page.get_by_test_id("break-reminder")).to_have_count(0)
    frozen_clock.advance(minutes=BREAK_AFTER_MINUTES)
    run_worker()
    page.reload()
    care = page.get_by_test_id("looking-after")
    expect(care.get_by_test_id("break-reminder")).to_be_visible()
    expect(care.get_by_test_id("no-commander")).to_be_visible()  # nobody to relieve yet

    # rei takes the Commander position; the hand-off proposed is to aoi, on call.
    commander = page.get_by_test_id("positions").get_by_test_id("position-incident_commander")
    commander.get_by_test_id("position-person").select_option("rei")
    commander.get_by_test_id("position-add").click()
    expect(
        page.get_by_test_id("positions")
        .get_by_test_id("position-incident_commander")
        .get_by_test_id("holder")
    ).to_contain_text("rei")
    page.reload()
    expect(page.get_by_test_id("looking-after").get_by_test_id("handoff")).to_contain_text(
        t("Proposed: hand the commander role to %(name)s (on call).") % {"name": "aoi"}
    )
    shoot(page, screenshots, f"drill-story-incident-{language}")

    # The readiness page of the responder's team: real gaps, and this drill as the last one.
    menu_link(page, t("Readiness")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Payments")
    gaps = page.get_by_test_id("gaps")
    unreachable = gaps.locator("[data-code='oncall_unreachable']")
    expect(unreachable).to_have_count(1)
    expect(unreachable).to_contain_text("ana")
    expect(gaps.locator("[data-code='schedule_gap']")).to_contain_text("payments secondary")
    expect(gaps.locator("[data-code='area_without_deputies']")).to_have_count(3)
    expect(gaps.locator("[data-code='no_recent_drill']")).to_have_count(0)
    expect(page.get_by_test_id("last-drill")).to_contain_text(ref)
    shoot(page, screenshots, f"drill-story-readiness-{language}")
