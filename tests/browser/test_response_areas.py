"""Response areas in real Chromium, in Japanese and English: an admin opens the settings page
from the header menu, names the system area's owner and deputies with the rank selects and
records the owner's leave; a declared incident's page then shows the proposed lead with the
chain (the owner passed over as away), and the commander names another lead there, which the
timeline records. Screenshots at 375 px and 1280 px go to var/screenshots/."""

from pathlib import Path

import pytest
from django.utils import translation
from django.utils.translation import pgettext
from playwright.sync_api import Page, expect

from kizuki.accounts import actions as accounts
from kizuki.accounts.models import User
from kizuki.incidents import actions
from tests.browser.conftest import in_, log_in, menu_link, shoot
from tests.conftest import MovableClock, make_user

pytestmark = pytest.mark.browser

SYSTEM = {"ja": "システム", "en": "System"}


def person(username: str, name: str) -> User:
    user = make_user(username, "responder")
    user.first_name = name
    user.save()
    return user


@pytest.mark.parametrize("language", ["ja", "en"])
def test_an_admin_sets_an_areas_chain_and_the_commander_changes_its_lead(
    page: Page, screenshots: Path, frozen_clock: MovableClock, language: str
) -> None:
    t = in_(language)
    admin = make_user("aki", "admin")
    accounts.set_language(admin, language)
    person("oto", "Oto Ueda")
    person("ken", "Ken Abe")
    person("mei", "Mei Ito")
    log_in(page, admin)

    menu_link(page, t("Response areas")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Response areas"))
    row = page.get_by_test_id("area-system")
    with translation.override(language):
        no_owner = pgettext("response area", "No owner")
    expect(row.get_by_test_id("owner")).to_have_text(no_owner)
    page.locator("details.area-edit", has=page.get_by_test_id("edit-system")).locator(
        "summary"
    ).click()
    form = page.get_by_test_id("edit-system")
    form.locator("select[name$='-owner']").select_option("oto")
    form.locator("select[name$='-deputy_1']").select_option("ken")
    form.locator("select[name$='-deputy_3']").select_option("mei")  # blanks close up
    form.get_by_role("button", name=t("Save")).click()
    expect(page.get_by_role("status")).to_contain_text(SYSTEM[language])
    expect(row.get_by_test_id("owner")).to_have_text("Oto Ueda")
    expect(row.get_by_test_id("deputies").locator("li")).to_have_text(["Ken Abe", "Mei Ito"])

    # Oto is on leave from before now (10:00 in Tokyo) for two days.
    absences = page.get_by_test_id("absences")
    absences.locator("#absence-form summary").click()
    absence_form = page.get_by_test_id("absence-form")
    absence_form.locator("select[name='user']").select_option("oto")
    absence_form.locator("input[name='starts_at']").fill("2026-11-25T09:00")
    absence_form.locator("input[name='ends_at']").fill("2026-11-27T09:00")
    absence_form.locator("input[name='note']").fill("夏休み / Summer holiday")
    absence_form.get_by_role("button", name=t("Record")).click()
    expect(page.get_by_test_id("absences")).to_contain_text("夏休み / Summer holiday")
    expect(page.get_by_test_id("area-system").get_by_test_id("lead-now")).to_contain_text("Ken Abe")
    shoot(page, screenshots, f"areas-settings-{language}")

    # A declared incident proposes Ken (Oto is away); the admin commands it and names Mei.
    incident = actions.report_incident(admin, "予約が失敗する / Bookings fail", severity=3)
    actions.assign_role(admin, incident, "incident_commander", admin)
    page.goto(f"/incidents/{incident.ref}/")
    panel = page.get_by_test_id("area-leads")
    system = panel.get_by_test_id("area-lead-system")
    expect(system.get_by_test_id("lead")).to_have_text("Ken Abe")
    expect(system.locator(".chain-absent")).to_contain_text("Oto Ueda")
    expect(system.locator(".chain-absent")).to_contain_text(t("away"))
    shoot(page, screenshots, f"areas-incident-panel-{language}")
    system.get_by_text(t("Name another lead")).click()
    system.locator("select[name='user']").select_option("mei")
    system.get_by_role("button", name=t("Change")).click()
    expect(page.get_by_role("status")).to_have_text(t("Area lead changed."))
    system = page.get_by_test_id("area-leads").get_by_test_id("area-lead-system")
    expect(system.get_by_test_id("lead")).to_have_text("Mei Ito")
    expect(page.get_by_test_id("timeline")).to_contain_text(
        t("%(lead)s now leads %(area)s instead of %(previous)s.")
        % {"lead": "Mei Ito", "area": SYSTEM[language], "previous": "Ken Abe"}
    )
