"""The incident page in real Chromium: the header's countdown ticks and turns overdue, a long
note folds behind "Show more", and a commander edits the incident and a note.

The server's clock is pinned (the live server reads the same movable clock); the page's own
clock is Playwright's, moved on with `page.clock.run_for`, so nothing waits for real time."""

import re

import pytest
from playwright.sync_api import Page, expect

from kizuki.accounts.models import User
from kizuki.incidents import actions, timeline_actions
from tests.browser.conftest import log_in
from tests.conftest import MovableClock, make_user

pytestmark = pytest.mark.browser

LONG_NOTE = "\n".join(f"{n:02d}:00 retry storm on the payment queue" for n in range(20))


@pytest.fixture
def commander(frozen_clock: MovableClock) -> User:
    return make_user("aki", "responder")


def declared_incident(commander: User, frozen_clock: MovableClock) -> str:
    """A SEV2 incident (an update every 30 minutes) with a long note and a link."""
    incident = actions.report_incident(
        commander, "Checkout fails", "Dashboard: https://grafana.example.test/d/1"
    )
    actions.transition(commander, incident, "declared", severity=2)
    timeline_actions.add_timeline_entry(commander, incident, LONG_NOTE + "\nTHE END")
    timeline_actions.add_timeline_entry(commander, incident, "Bridge is open")
    return incident.ref


def test_the_countdown_ticks_from_the_servers_now_and_turns_overdue(
    page: Page, commander: User, frozen_clock: MovableClock
) -> None:
    ref = declared_incident(commander, frozen_clock)
    frozen_clock.advance(minutes=29, seconds=58)  # due at +30 min: two seconds left
    page.clock.install()
    log_in(page, commander)
    page.goto(f"/incidents/{ref}/")

    countdown = page.get_by_test_id("next-update")
    expect(countdown).to_have_text(re.compile(r"^in 0:0[12]$"))
    expect(countdown).not_to_have_class(re.compile("overdue"))

    page.clock.run_for(5_000)

    expect(countdown).to_have_text(re.compile(r"^overdue by 0:0[2-5]$"))
    expect(countdown).to_have_class(re.compile("overdue"))
    # The link in the description is a real, safe link.
    link = page.get_by_role("link", name="https://grafana.example.test/d/1")
    expect(link).to_have_attribute("rel", "noopener noreferrer nofollow")


def test_a_long_note_folds_and_shows_more_on_request(
    page: Page, commander: User, frozen_clock: MovableClock
) -> None:
    ref = declared_incident(commander, frozen_clock)
    log_in(page, commander)
    page.goto(f"/incidents/{ref}/")

    folded = page.locator("#timeline .long-text")
    expect(folded).to_have_class(re.compile("folded"))
    body = folded.locator(".text-body")
    box = body.bounding_box()
    assert box is not None
    assert box["height"] < 200  # 21 lines would need far more

    folded.get_by_role("button", name="Show more").click()

    expect(folded).not_to_have_class(re.compile("folded"))
    expect(folded.get_by_role("button", name="Show more")).to_be_hidden()
    expect(body).to_contain_text("THE END")
    opened = body.bounding_box()
    assert opened is not None
    assert opened["height"] > box["height"]


def test_a_commander_edits_the_incident_and_a_note(
    page: Page, commander: User, frozen_clock: MovableClock
) -> None:
    ref = declared_incident(commander, frozen_clock)
    log_in(page, commander)
    page.goto(f"/incidents/{ref}/")

    page.get_by_text("Edit details").click()
    page.locator("#id_edit_title").fill("Checkout returns 500")
    page.locator("#id_edit_severity").select_option("1")
    page.locator("#edit_form").get_by_role("button", name="Save").click()

    expect(page.locator("h1")).to_contain_text("Checkout returns 500")
    expect(page.get_by_test_id("severity")).to_have_text("SEV1 Critical")
    timeline = page.get_by_test_id("timeline")
    expect(timeline).to_contain_text("Severity changed from SEV2 to SEV1.")

    note = timeline.locator("li", has_text="Bridge is open")
    note.get_by_role("link", name="Edit").click()
    page.get_by_label("Note").fill("Bridge is open: meet.example.test/inc")
    page.get_by_role("button", name="Save").click()
    expect(timeline).to_contain_text("Bridge is open: meet.example.test/inc")

    note = timeline.locator("li", has_text="Bridge is open")
    note.get_by_role("link", name="Remove").click()
    expect(page.get_by_role("heading", name="Remove this note?")).to_be_visible()
    page.get_by_role("button", name="Remove").click()

    expect(page.get_by_text("The note was removed.")).to_be_visible()
    expect(timeline).not_to_contain_text("Bridge is open")
