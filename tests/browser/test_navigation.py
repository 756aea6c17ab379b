"""The header menu in real Chromium, in Japanese and English. On a desktop the links are
grouped (Learning, On-call, Readiness, Admin) into drop-downs that fit on one line: one group
open at a time, closed again by Escape or a click elsewhere, and every link reachable and
marked as the current page once followed. On a phone the "Menu" button shows every group
open under its heading, with nothing scrolling sideways. A viewer sees no admin links.
Screenshots go to var/screenshots/."""

import re
from pathlib import Path

import pytest
from django.utils import translation
from playwright.sync_api import Locator, Page, expect

from kizuki.accounts import actions as accounts
from tests.browser.conftest import OVERFLOW, in_, log_in, menu_link
from tests.conftest import make_user

pytestmark = pytest.mark.browser

# Group (its English label) -> (link, where it leads), in the menu's order.
GROUPS: dict[str, list[tuple[str, str]]] = {
    "Learning": [
        ("Retrospectives", "/retrospectives/"),
        ("Follow-ups", "/followups/"),
        ("Risks", "/risks/"),
        ("Reports", "/reports/"),
    ],
    "On-call": [
        ("Schedules", "/schedules/"),
        ("Escalation", "/escalation-policies/"),
        ("Alerts", "/alerts/"),
        ("Services", "/services/"),
    ],
    "Readiness": [
        ("Response areas", "/settings/areas/"),
        ("Formations", "/settings/formations/"),
        ("Drills", "/drills/"),
        ("Automation", "/settings/automation/"),
        ("Readiness", "/readiness/"),
    ],
    "Admin": [("Paging settings", "/settings/paging/"), ("Settings", "/admin/")],
}
TOP_LEVEL = [("Dashboard", "/"), ("Incidents", "/incidents/"), ("Status page", "/status/")]


def group_label(language: str, english: str) -> str:
    with translation.override(language):
        return translation.pgettext("menu group", english)


def group(page: Page, language: str, english: str) -> Locator:
    return (
        page.get_by_role("banner")
        .locator("details.nav-group")
        .filter(has=page.locator("summary", has_text=group_label(language, english)))
    )


def at(path: str) -> re.Pattern[str]:
    """The live server's page at `path`, exactly."""
    return re.compile(rf"^https?://[^/]+{re.escape(path)}$")


def link(page: Page, name: str, *, folded: bool = False) -> Locator:
    """The header's link `name`; `folded` finds it inside a closed group too."""
    banner = page.get_by_role("banner")
    return banner.get_by_role("link", name=name, exact=True, include_hidden=folded)


@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_desktop_menu_groups_its_links_into_drop_downs_on_one_line(
    page: Page, screenshots: Path, language: str
) -> None:
    t = in_(language)
    admin = make_user("aki", "admin")
    accounts.set_language(admin, language)
    log_in(page, admin)

    # The top-level links and the groups' labels sit side by side on one line.
    items = page.get_by_role("banner").locator("nav > a, nav > details > summary")
    expect(items).to_have_count(len(TOP_LEVEL) + len(GROUPS))
    for width in (961, 1280):  # the narrowest wide screen, and a laptop
        page.set_viewport_size({"width": width, "height": 900})
        tops = {round(box["y"]) for box in (item.bounding_box() for item in items.all()) if box}
        assert max(tops) - min(tops) <= 2, f"the menu takes more than one line at {width}px"
        page.screenshot(path=str(screenshots / f"menu-{language}-{width}.png"))
    for name, _path in TOP_LEVEL:
        expect(link(page, t(name))).to_be_visible()
    for links in GROUPS.values():
        for name, _path in links:
            expect(link(page, t(name), folded=True)).to_be_hidden()

    # One group open at a time; Escape and a click elsewhere close it.
    group(page, language, "Learning").locator("summary").click()
    for name, _path in GROUPS["Learning"]:
        expect(link(page, t(name))).to_be_visible()
    assert page.evaluate(OVERFLOW) <= 0
    page.screenshot(path=str(screenshots / f"menu-group-{language}-1280.png"))
    group(page, language, "On-call").locator("summary").click()
    expect(link(page, t("Schedules"))).to_be_visible()
    expect(link(page, t("Retrospectives"), folded=True)).to_be_hidden()
    page.keyboard.press("Escape")
    expect(link(page, t("Schedules"), folded=True)).to_be_hidden()
    group(page, language, "Readiness").locator("summary").click()
    expect(link(page, t("Drills"))).to_be_visible()
    page.get_by_role("main").click(position={"x": 5, "y": 5})
    expect(link(page, t("Drills"), folded=True)).to_be_hidden()

    # Every link leads to its page, which the menu then marks as the one shown.
    for label, links in GROUPS.items():
        for name, path in links:
            page.goto("/")
            menu_link(page, t(name), exact=True).click()
            expect(page).to_have_url(at(path))
            if path == "/admin/":
                continue  # Django's own admin site has its own header
            expect(link(page, t(name), folded=True)).to_have_attribute("aria-current", "page")
            expect(group(page, language, label)).to_have_class("nav-group current")
    page.goto("/risks/")
    for name, path in TOP_LEVEL:
        link(page, t(name)).click()
        expect(page).to_have_url(at(path))
        expect(link(page, t(name))).to_have_attribute("aria-current", "page")

    # The person's own menu, under their name, holds their notification rules and "Log out".
    menu_link(page, t("My notifications")).click()
    expect(page).to_have_url(at("/account/notifications/"))
    account = page.get_by_role("banner").locator("details.account")
    expect(account).to_have_class("nav-group account current")
    account.locator("summary").click()
    page.screenshot(path=str(screenshots / f"menu-account-{language}-1280.png"))
    account.get_by_role("button", name=t("Log out")).click()
    expect(page).to_have_url(re.compile(r"/login/"))


@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_phone_menu_shows_every_group_open_and_fits(
    page: Page, screenshots: Path, language: str
) -> None:
    t = in_(language)
    admin = make_user("aki", "admin")
    accounts.set_language(admin, language)
    log_in(page, admin)
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto("/drills/")

    expect(link(page, t("Incidents"), folded=True)).to_be_hidden()
    page.get_by_role("banner").locator(".menu > summary").click()
    for label, links in GROUPS.items():
        expect(group(page, language, label).locator("summary")).to_be_visible()
        for name, _path in links:
            expect(link(page, t(name))).to_be_visible()
    expect(link(page, t("Drills"))).to_have_attribute("aria-current", "page")
    assert page.evaluate(OVERFLOW) <= 0, "the open menu scrolls sideways"
    page.screenshot(path=str(screenshots / f"menu-{language}-375.png"), full_page=True)

    link(page, t("Reports")).click()
    expect(page).to_have_url(at("/reports/"))


def test_a_viewer_sees_no_admin_group_and_no_automation(page: Page) -> None:
    viewer = make_user("vera", "viewer")
    accounts.set_language(viewer, "en")
    log_in(page, viewer)
    expect(group(page, "en", "Admin")).to_have_count(0)
    expect(link(page, "Automation", folded=True)).to_have_count(0)
    expect(link(page, "Paging settings", folded=True)).to_have_count(0)
    menu_link(page, "Drills", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Drills")
