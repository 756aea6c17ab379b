"""Real Chromium (the Debian package) driven by Playwright against pytest-django's live server.

One browser per session, a fresh context (cookies, storage) per test. The live server runs in
a thread of this process, so fixtures and the server share the test database and the clock.
"""

import importlib
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.apps import apps
from django.utils import translation

# Playwright's sync API keeps an event loop running in the main thread; without this Django
# refuses ORM calls from fixtures there ("You cannot call this from an async context").
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

from playwright.sync_api import (
    Browser,
    BrowserContext,
    Locator,
    Page,
    Playwright,
    Route,
    sync_playwright,
)

from kizuki.accounts.models import User
from tests.conftest import PASSWORD

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
# Any URL not on this machine. A regex is matched inside the Playwright driver, so loopback
# requests are never intercepted (and never wait for this Python thread).
# How far the page is wider than the window: above 0 means it scrolls sideways.
OVERFLOW = "() => document.documentElement.scrollWidth - window.innerWidth"
BEYOND_LOOPBACK = re.compile(r"^(?!(https?|wss?)://(127\.0\.0\.1|localhost|\[::1\])[:/]).*://")


@pytest.fixture(autouse=True)
def catalogue(transactional_db: None) -> None:
    """The default severities and incident roles, the built-in retrospective templates and the
    impact scales, seeded as their migrations do.

    Transactional tests flush every table afterwards, so the rows that migration seeded are
    gone for the next one. Serialized rollback cannot bring them back here: once Playwright's
    event loop runs in the main thread, Django keeps its connections in context-local storage,
    and a connection opened there lacks the snapshot taken when the test database was made."""
    for name in (
        "kizuki.incidents.migrations.0002_default_catalogue",
        "kizuki.retros.migrations.0001_initial",
        "kizuki.incidents.migrations.0005_impact_scoring",
        "kizuki.incidents.migrations.0006_cause_categories",
        "kizuki.areas.migrations.0002_default_areas",
        "kizuki.formations.migrations.0002_defaults",
        "kizuki.automation.migrations.0002_default_rules",
    ):
        importlib.import_module(name).seed(apps, None)


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: install the Debian package `chromium`."
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def context(browser: Browser, live_server: object) -> Iterator[BrowserContext]:
    """A fresh browser profile whose browser asks for English, pointed at the live server.
    Any request that would leave the machine is aborted and fails the test."""
    context = browser.new_context(
        base_url=str(live_server),
        locale="en-US",
        timezone_id="Asia/Tokyo",
        viewport={"width": 1280, "height": 900},
    )
    context.set_default_timeout(10_000)
    escaped: list[str] = []

    def refuse(route: Route) -> None:
        escaped.append(route.request.url)
        route.abort()

    context.route(BEYOND_LOOPBACK, refuse)
    yield context
    context.close()
    assert not escaped, f"the page tried to reach beyond loopback: {escaped}"


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


@pytest.fixture
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


def log_in(page: Page, user: User) -> None:
    """Log in through the login page, as a person would. Before login the page follows the
    browser's language, which the `context` fixture sets to English."""
    page.goto("/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("/")


def in_(language: str) -> Callable[[str], str]:
    """What the page says for an English message, in `language` (from the catalogue, so a
    story reads the same in both languages)."""

    def say(message: str) -> str:
        with translation.override(language):
            return translation.gettext(message)

    return say


def menu_link(page: Page, name: str, *, exact: bool = False) -> Locator:
    """The header menu's link called `name`. On a wide screen most links sit in a folded group
    (a drop-down): as a person would, open the group that holds it first."""
    banner = page.get_by_role("banner")
    link = banner.get_by_role("link", name=name, exact=exact)
    if not link.is_visible():
        # A folded group's links are not in the accessibility tree until it opens.
        inside = page.get_by_role("link", name=name, exact=exact, include_hidden=True)
        banner.locator("details.nav-group", has=inside).locator("summary").click()
    return link


def shoot(page: Page, screenshots: Path, name: str, back_to: int = 1280) -> None:
    """Screenshots at a phone's and a desktop's width; nothing may scroll sideways. The page is
    left at `back_to` pixels wide."""
    for width in (375, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(screenshots / f"{name}-{width}.png"), full_page=True)
        # Judged on the next frame, once the reflow after the resize is done; the picture is
        # taken first so a failure can be looked at.
        settled = page.evaluate(
            f"() => new Promise(r => requestAnimationFrame(() => r(({OVERFLOW})())))"
        )
        assert settled <= 0, f"{name} at {width}px scrolls sideways by {settled}px"
    page.set_viewport_size({"width": back_to, "height": 900})
