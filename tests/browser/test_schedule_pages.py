"""A schedule lived with in real Chromium on a phone (375 px): created from the form, a layer
edited, the shift calendar read by week and by month, a shift taken and another swapped, and
the schedule deleted. Each page is checked for sideways scrolling at 375 and 1280 px, and
saved as screenshots in English and Japanese under var/screenshots/schedules/.

The clock is pinned at 2026-11-25 10:00 Asia/Tokyo (the live server runs in this process)."""

import pytest
from playwright.sync_api import Page, expect

from kizuki.accounts import actions as accounts
from kizuki.accounts.models import User
from kizuki.schedules.models import Override, Schedule
from tests.browser.conftest import OVERFLOW, SCREENSHOTS, log_in
from tests.conftest import PASSWORD, MovableClock, make_user

pytestmark = pytest.mark.browser

SHOTS = SCREENSHOTS / "schedules"


@pytest.fixture
def admin_user(frozen_clock: MovableClock) -> User:
    for name in ("ana", "ben", "dai"):
        make_user(name, "viewer")
    admin = make_user("kaori", "admin")
    accounts.set_password(admin, PASSWORD)
    return admin


def fits(page: Page, name: str, user: User) -> None:
    """No sideways scrolling on a phone or a desktop; screenshots in both languages."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    url = page.url
    for language in ("en", "ja"):
        accounts.set_language(user, language)
        page.goto(url)
        for width in (375, 1280):
            page.set_viewport_size({"width": width, "height": 900})
            assert page.evaluate(OVERFLOW) <= 0, f"{name} {language} {width}px scrolls sideways"
            page.screenshot(path=str(SHOTS / f"{name}-{language}-{width}.png"), full_page=True)
    accounts.set_language(user, "en")
    page.set_viewport_size({"width": 375, "height": 900})
    page.goto(url)


def test_a_schedule_is_built_edited_and_lived_with_on_a_phone(page: Page, admin_user: User) -> None:
    accounts.set_language(admin_user, "en")
    page.set_viewport_size({"width": 375, "height": 900})
    log_in(page, admin_user)

    page.goto("/schedules/new/")
    page.get_by_label("Name:", exact=True).fill("Payments")
    page.get_by_label("People, in rotation order").fill("ana, ben")
    page.get_by_label("Shift length").fill("1d")
    page.get_by_label("Hand-off time").fill("09:00")
    page.get_by_role("button", name="Create schedule").click()
    expect(page.get_by_text("Schedule created.")).to_be_visible()
    expect(page.get_by_test_id("on-call")).to_have_text("ana")
    fits(page, "schedule-detail", admin_user)

    # Edit the layer: ben first from now on, hand-off at 10:00.
    page.get_by_test_id("edit-layer").click()
    expect(page.get_by_label("People, in rotation order")).to_have_value("ana, ben")
    fits(page, "layer-edit", admin_user)
    page.get_by_label("Layer name").fill("Day shift")
    page.get_by_label("Shift length").fill("nonsense")
    page.get_by_test_id("save-layer").click()
    expect(page.get_by_text('Unknown shift length "nonsense"', exact=False)).to_have_count(1)
    expect(page.get_by_label("Layer name")).to_have_value("Day shift")  # kept
    page.get_by_label("Shift length").fill("1d")
    page.get_by_label("People, in rotation order").fill("ben, ana")
    page.get_by_test_id("save-layer").click()
    expect(page.get_by_text("Layer saved.")).to_be_visible()
    expect(page.get_by_test_id("layer")).to_contain_text("Day shift: ben → ana")

    # The calendar, this week: take the next shift that is someone else's.
    page.get_by_test_id("shift-calendar-link").click()
    expect(page.get_by_test_id("calendar-period")).to_contain_text("2026-11-23 – 2026-11-29")
    fits(page, "calendar-week", admin_user)
    thursday = page.locator('[data-testid=day][data-date="2026-11-26"]')
    thursday.get_by_test_id("take-shift").first.click()
    expect(page.get_by_text("You are on call for this shift now.")).to_be_visible()
    taken = thursday.locator("[data-testid=shift][data-override=yes]")
    expect(taken).to_contain_text("kaori")
    expect(taken).to_contain_text("Override")

    # Swap Friday's shift to dai.
    page.locator('[data-testid=day][data-date="2026-11-27"]').get_by_test_id(
        "swap-shift"
    ).first.click()
    fits(page, "shift-swap", admin_user)
    page.get_by_label("Who takes this shift").select_option("dai")
    page.get_by_test_id("confirm-swap").click()
    expect(page.get_by_text("dai is on call for this shift now.")).to_be_visible()
    assert sorted(Override.objects.values_list("user__username", flat=True)) == ["dai", "kaori"]

    # Month view, then the next month and back to today.
    page.get_by_test_id("calendar-month").click()
    expect(page.get_by_test_id("calendar-period")).to_contain_text("November 2026")
    fits(page, "calendar-month", admin_user)
    page.get_by_test_id("calendar-next").click()
    expect(page.get_by_test_id("calendar-period")).to_contain_text("December 2026")
    page.get_by_test_id("calendar-today").click()
    expect(page.get_by_test_id("calendar-period")).to_contain_text("November 2026")

    # Delete it, after being asked.
    page.goto("/schedules/")
    page.get_by_role("link", name="Payments").click()
    page.get_by_test_id("delete-schedule").click()
    fits(page, "schedule-delete", admin_user)
    page.get_by_test_id("confirm-delete").click()
    expect(page.get_by_text("Schedule deleted.")).to_be_visible()
    assert not Schedule.objects.exists()
