"""The paging settings page in real Chromium: an admin finds it in the header menu, chooses the
triage policy and key people, is told next to the field when business hours end before they
start, and saves. A report naming no service then pages the triage on-call, and its timeline
says so. Screenshots at 375 px and 1280 px, in English and Japanese, go to var/screenshots/."""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from kizuki.accounts import actions as accounts
from kizuki.accounts.models import User
from kizuki.incidents import actions, timeline_actions
from kizuki.incidents import queries as incidents
from kizuki.oncall import actions as oncall
from tests.browser.conftest import log_in, menu_link, shoot
from tests.conftest import MovableClock, make_user

pytestmark = pytest.mark.browser


def test_an_admin_sets_paging_and_a_report_pages_the_triage_on_call(
    page: Page, screenshots: Path, frozen_clock: MovableClock
) -> None:
    admin = make_user("aki", "admin")
    kei = make_user("kei", "responder")
    kei.first_name = "Kei Mori"
    kei.save()
    leads = accounts.create_team("leads", "Leads")
    accounts.add_member(leads, kei)
    oncall.create_policy(
        admin, "Triage", steps=[{"targets": [{"type": "user", "id": "kei"}], "wait_minutes": 5}]
    )
    log_in(page, admin)

    menu_link(page, "Paging settings").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Paging settings")
    page.get_by_label("Triage escalation policy").select_option(label="Triage")
    page.get_by_label("Kei Mori (kei)").check()
    page.get_by_label("Leads").check()
    page.get_by_label("Page key people only outside business hours").check()
    page.get_by_label("Business hours start").fill("18:00")
    page.get_by_label("Business hours end").fill("09:00")
    page.get_by_role("button", name="Save").click()

    expect(page.locator("#id_business_day_end_error")).to_have_text(
        "Business hours must end after they start."
    )
    expect(page.get_by_label("Kei Mori (kei)")).to_be_checked()  # what was typed is kept
    shoot(page, screenshots, "paging-settings-error-en")
    page.get_by_label("Business hours start").fill("09:00")
    page.get_by_label("Business hours end").fill("18:00")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_have_text("Paging settings saved.")
    expect(page.get_by_label("Triage escalation policy").locator("option:checked")).to_have_text(
        "Triage"
    )
    shoot(page, screenshots, "paging-settings-en")

    # A report naming no service now pages the triage on-call, and says so.
    page.get_by_role("link", name="Report an incident").first.click()
    page.get_by_label("What is wrong?").fill("Checkout looks slow")
    page.get_by_role("button", name="Send report").click()
    expect(page.get_by_test_id("reached")).to_contain_text("Kei Mori")
    shoot(page, screenshots, "paging-thanks-en")
    page.get_by_role("link", name="Follow the incident").click()
    expect(page.get_by_test_id("timeline")).to_contain_text(
        "Paged the triage on-call (policy Triage): Kei Mori."
    )

    # Resolved, with a stakeholder update from while it lasted: the status page lists it under
    # Resolved without that update.
    incident = incidents.get_incident("INC-1")
    for to in ("declared", "mitigated"):
        actions.transition(admin, incident, to, severity=3 if to == "declared" else None)
    timeline_actions.post_status_update(
        admin, incident, "Recovering", audience="stakeholders", plain_text="Recovery in progress."
    )
    actions.transition(admin, incident, "resolved")
    page.goto("/status/")
    resolved = page.get_by_test_id("resolved")
    expect(resolved).to_contain_text("Checkout looks slow")
    expect(resolved).not_to_contain_text("Recovery in progress.")
    shoot(page, screenshots, "paging-status-en")

    accounts.set_language(User.objects.get(username="aki"), "ja")
    page.goto("/settings/paging/")
    shoot(page, screenshots, "paging-settings-ja")
    page.goto("/incidents/INC-1/thanks/")
    shoot(page, screenshots, "paging-thanks-ja")
    page.goto("/status/")
    shoot(page, screenshots, "paging-status-ja")
