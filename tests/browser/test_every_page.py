"""Every page, on a phone (375 px) and a desktop (1280 px), in Japanese and in English.

An admin with the demo data opens each page the URL configuration serves; the test fails on
horizontal scrolling, on any console error (a blocked script or style under the
Content-Security-Policy, a missing file, a script error) and, on the Japanese pages, on any
piece of text that is exactly an English message our Japanese catalogue translates (so it
was left untranslated in the template or code). A new URL fails the test until it is added
to PAGES or, with its reason, to NOT_PAGES.

Screenshots of the dashboard and an incident go to var/screens/."""

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils.translation import trans_real
from playwright.sync_api import BrowserContext, ConsoleMessage, Error, Page, expect

from kizuki.accounts import actions as accounts
from kizuki.accounts.models import User
from kizuki.demo import data as demo
from tests.browser.conftest import OVERFLOW, log_in
from tests.conftest import PASSWORD, MovableClock

WIDTHS = (375, 1280)

# URL name -> the page to open: a path, or (a page, a pattern of the first link on it to follow
# and what to append), so the test needs no model of any app.
PAGES: dict[str, str | tuple[str, str, str]] = {
    "dashboard": "/",
    "incident-list": "/incidents/",
    "incident-report": "/report/",
    "incident-detail": ("/", r"^/incidents/INC-\d+/$", ""),
    "incident-thanks": ("/", r"^/incidents/INC-\d+/$", "thanks/"),
    # INC-3 is the demo's open payment incident, with tanaka's note.
    "incident-note": ("/incidents/INC-3/", r"^/incidents/INC-\d+/notes/\d+/$", ""),
    "incident-note-remove": ("/incidents/INC-3/", r"^/incidents/INC-\d+/notes/\d+/remove/$", ""),
    "status-page": "/status/",
    "alert-group-list": "/alerts/",
    "alert-group-detail": ("/alerts/", r"^/alerts/\d+/$", ""),
    "service-list": "/services/",
    "service-detail": ("/services/", r"^/services/\d+/$", ""),
    "sos": "/sos/",
    "paging-settings": "/settings/paging/",
    "sos-thanks": ("/alerts/", r"^/alerts/\d+/$", ""),
    "policy-list": "/escalation-policies/",
    "policy-new": "/escalation-policies/new/",
    "policy-detail": ("/escalation-policies/", r"^/escalation-policies/\d+/$", ""),
    "notification-rules": "/account/notifications/",
    "api-tokens": "/account/tokens/",
    "schedule-list": "/schedules/",
    "schedule-new": "/schedules/new/",
    "schedule-detail": ("/schedules/", r"^/schedules/\d+/$", ""),
    "schedule-calendar": ("/schedules/", r"^/schedules/\d+/$", "shifts/"),
    "schedule-layer-new": ("/schedules/", r"^/schedules/\d+/$", "layers/new/"),
    "schedule-delete": ("/schedules/", r"^/schedules/\d+/$", "delete/"),
    "search": "/search/?q=決済",
    # Retrospectives (the demo data holds a draft and a published one).
    "retro-list": "/retrospectives/",
    "retro-digest": "/retrospectives/learnings/",
    "retro-settings": "/retrospectives/settings/",
    "retro-template-new": "/retrospectives/templates/new/",
    "retro-template-edit": (
        "/retrospectives/settings/",
        r"^/retrospectives/templates/[\w-]+/$",
        "",
    ),
    "retro-detail": ("/", r"^/incidents/INC-\d+/$", "retrospective/"),
    "retro-edit": (
        "/retrospectives/?status=in_review",
        r"^/incidents/INC-\d+/retrospective/$",
        "edit/",
    ),
    "retro-history": (
        "/retrospectives/?status=published",
        r"^/incidents/INC-\d+/retrospective/$",
        "history/",
    ),
    "retro-summary": (
        "/retrospectives/?status=published",
        r"^/incidents/INC-\d+/retrospective/$",
        "summary/",
    ),
    # Follow-ups (the detail and team pages need the demo data to hold follow-ups).
    "followup-list": "/followups/",
    "followup-mine": "/followups/mine/",
    "followup-team": ("/followups/", r"^/followups/teams/[\w-]+/$", ""),
    "followup-detail": ("/followups/", r"^/followups/\d+/$", ""),
    "followup-new": ("/", r"^/incidents/INC-\d+/$", "followups/new/"),
    "risk-list": "/risks/",
    "risk-new": "/risks/new/",
    "risk-detail": ("/risks/", r"^/risks/\d+/$", ""),
    "risk-edit": ("/risks/", r"^/risks/\d+/$", "edit/"),
    "review-list": "/reviews/",
    "review-detail": ("/reviews/", r"^/reviews/\d+/$", ""),
    # The demo's payment slowdown (SEV2) has a submitted initial report and a drafted final one.
    "regulatory-detail": ("/incidents/INC-2/", r"^/regulatory/\d+/$", ""),
    "report-summary": "/reports/",
    "areas-settings": "/settings/areas/",
    "formations-settings": "/settings/formations/",
    "drills": "/drills/",
    "automation-rules": "/settings/automation/",
    "automation-rule-new": "/settings/automation/new/",
    "automation-rule": ("/settings/automation/", r"^/settings/automation/\d+/$", ""),
    "readiness": "/readiness/",
}
# URL names that are not pages of their own, and why.
NOT_PAGES = {
    # Shown before logging in: test_login_page_fits_a_phone covers it.
    "login": "before login",
    # Form targets: they redirect back to the page that holds the form.
    "logout": "POST",
    "set-language": "POST",
    "api-token-revoke": "POST",
    # Single sign-on: 404 until configured; tests/accounts/test_sso.py drives both.
    "sso-login": "SSO only",
    "sso-callback": "SSO only",
    "incident-transition": "POST",
    "areas-create": "POST",
    "areas-edit": "POST",
    "areas-absence-add": "POST",
    "areas-absence-remove": "POST",
    "areas-lead-change": "POST",
    "automation-rule-delete": "POST",
    "drills-start": "POST",
    "drills-test-page-send": "POST",
    "drills-test-page-acknowledge": "POST",
    "incident-cause": "POST",
    "incident-privacy": "POST",
    "incident-participant-add": "POST",
    "incident-participant-remove": "POST",
    "readiness-care": "POST",
    "readiness-handoff": "POST",
    "readiness-read-through-add": "POST",
    "readiness-read-through-read": "POST",
    "readiness-work-add": "POST",
    "readiness-work-change": "POST",
    "readiness-work-move": "POST",
    # Downloads (PDF, HTML, CSV) of the report page: tests/browser/test_report_summary.py.
    "report-summary-download": "download",
    # A signed link in a test page: tests/browser/test_drills.py opens it.
    "drills-test-page-ack": "opened by test_drills",
    "formations-position-add": "POST",
    "formations-position-remove": "POST",
    "formations-item": "POST",
    "incident-assign-role": "POST",
    "incident-add-entry": "POST",
    "incident-status-update": "POST",
    "incident-impact": "POST",
    "incident-edit": "POST",
    "status-subscribe": "POST",
    "status-unsubscribe": "POST",
    "alert-group-acknowledge": "POST",
    "alert-group-resolve": "POST",
    "alert-group-silence": "POST",
    "service-add-integration": "POST",
    "service-add-rule": "POST",
    "service-set-policy": "POST",
    "integration-deactivate": "POST",
    "integration-reactivate": "POST",
    "integration-rotate": "POST",
    "integration-test": "POST",
    "rule-edit": "POST",
    "rule-delete": "POST",
    "policy-delete": "POST",
    "notification-remove": "POST",
    "notification-up": "POST",
    "notification-test": "POST",
    "calendar-rotate-mine": "POST",
    "schedule-add-override": "POST",
    "schedule-remove-override": "POST",
    "schedule-calendar-rotate": "POST",
    "schedule-layer-remove": "POST",
    "schedule-take-shift": "POST",
    # Reached from a schedule's page and its calendar (ids and a shift's times in the URL):
    # tests/browser/test_schedule_pages.py opens them on a phone and a desktop.
    "schedule-layer-edit": "opened by test_schedule_pages",
    "schedule-swap-shift": "opened by test_schedule_pages",
    "retro-start": "POST",
    "retro-requirement": "POST",
    "retro-transition": "POST",
    "retro-request-review": "POST",
    "retro-review": "POST",
    "retro-comment": "POST",
    "retro-resolve-comment": "POST",
    "retro-preview": "POST (htmx partial)",
    "retro-draft": "POST (htmx partial)",
    "retro-accept-draft": "POST",
    "retro-template-retire": "POST",
    "retro-severity-policy": "POST",
    "retro-team-template": "POST",
    "followup-check": "POST (htmx partial)",
    "followup-edit": "POST",
    "followup-status": "POST",
    "followup-add-milestone": "POST",
    "followup-milestone-status": "POST",
    "followup-export": "POST",
    "risk-visit": "POST",
    "followup-record-risk": "POST",
    "retro-record-risk": "POST",
    "review-add-finding": "POST",
    "review-minutes": "POST",
    "review-this-week": "POST",
    "review-settings": "POST",
    "finding-report": "POST",
    "finding-promote": "POST",
    "regulatory-prepare": "POST",
    "regulatory-submitted": "POST",
    # Links from e-mails and chat, each carrying a one-time token.
    "status-confirm": "token link",
    "status-unsubscribe-link": "token link",
    "alert-ack": "token link",
    # Not HTML.
    "calendar-feed": "iCalendar feed",
    "retro-export-md": "Markdown download",
    "retro-export-pdf": "PDF download",
    "regulatory-pdf": "PDF download",
    "regulatory-docx": "Word download",
    "slack-events": "Slack webhook",
    "favicon": "the site icon, an SVG",
    "metrics": "Prometheus text format",
}

# Visible text nodes, placeholders and labels read by assistive technology.
VISIBLE_TEXT = """() => {
  const texts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    // Text marked as another language (the language picker's "English") is meant to be so.
    const foreign = parent && parent.closest("[lang]") !== document.documentElement;
    if (parent && !foreign && parent.checkVisibility({visibilityProperty: true})) {
      texts.push(node.data);
    }
  }
  for (const element of document.querySelectorAll("[placeholder], [aria-label], option")) {
    if (element.closest("[lang]") !== document.documentElement) continue;
    texts.push(element.getAttribute("placeholder") || element.getAttribute("aria-label")
      || element.textContent);
  }
  return texts.map((text) => text.trim()).filter(Boolean);
}"""


def resolve(page: Page, target: str | tuple[str, str, str]) -> str:
    if isinstance(target, str):
        return target
    source, pattern, suffix = target
    page.goto(source)
    hrefs = page.eval_on_selector_all("main a[href]", "all => all.map(a => a.getAttribute('href'))")
    first: str = next(href for href in hrefs if re.match(pattern, href))
    return first + suffix


def url_names(patterns: list[URLPattern | URLResolver]) -> Iterator[str]:
    """Every named URL of the product (the admin and the API are not our pages)."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if not str(pattern.pattern).startswith(("admin/", "api/")):
                yield from url_names(pattern.url_patterns)
        elif pattern.name:
            yield pattern.name


def translated_english() -> set[str]:
    """English messages that the Japanese catalogue translates to something else. Ones with
    placeholders are left out (they never appear verbatim), and so are one-letter ones."""
    # The merged catalogue (ours and Django's); gettext offers no public way to list it.
    catalogue: Any = vars(trans_real.translation("ja"))["_catalog"]
    english = set()
    for key, japanese in catalogue.items():
        msgid = key[0] if isinstance(key, tuple) else key
        msgid = msgid.split("\x04")[-1]  # strip a message context
        if japanese and japanese != msgid and len(msgid) > 1 and not re.search(r"%|\{", msgid):
            english.add(msgid)
    return english


@pytest.fixture
def demo_admin(frozen_clock: MovableClock) -> User:
    """The demo data, and its admin with a password the test knows."""
    demo.load()
    admin = User.objects.get(username="admin")
    accounts.set_password(admin, PASSWORD)
    return admin


def test_every_url_is_a_page_or_said_why_not() -> None:
    names = set(url_names(get_resolver().url_patterns))
    assert names - set(PAGES) - set(NOT_PAGES) == set(), "add it to PAGES or NOT_PAGES"
    assert set(PAGES) | set(NOT_PAGES) <= names, "a listed URL name is gone"


@pytest.mark.browser
def test_every_page_fits_a_phone_has_no_errors_and_speaks_japanese(
    context: BrowserContext, demo_admin: User, screenshots: Path
) -> None:
    page = context.new_page()
    errors: list[str] = []

    def console(message: ConsoleMessage) -> None:
        if message.type == "error":
            errors.append(f"{page.url}: {message.text}")

    def crash(error: Error) -> None:
        errors.append(f"{page.url}: {error}")

    page.on("console", console)
    page.on("pageerror", crash)
    english = translated_english()
    log_in(page, demo_admin)
    paths = {name: resolve(page, target) for name, target in PAGES.items()}
    paths["sos-thanks"] = paths["sos-thanks"].replace("/alerts/", "/sos/thanks/")
    shots = screenshots.parent / "screens"
    shots.mkdir(exist_ok=True)

    problems: list[str] = []
    for language in ("ja", "en"):
        accounts.set_language(demo_admin, language)
        for name, path in paths.items():
            response = page.goto(path)
            assert response is not None
            assert response.status == 200, f"{path}: {response.status}"
            for width in WIDTHS:
                page.set_viewport_size({"width": width, "height": 800})
                overflow = page.evaluate(OVERFLOW)
                if overflow > 0:
                    problems.append(f"{language} {width}px {path}: {overflow}px too wide")
                if name in ("dashboard", "incident-detail"):
                    shot = shots / f"{name}-{language}-{width}.png"
                    page.screenshot(path=str(shot), full_page=True)
            if language == "ja":
                left = sorted(set(page.evaluate(VISIBLE_TEXT)) & english)
                if left:
                    problems.append(f"ja {path}: untranslated {left}")
    # On a phone the navigation folds into the menu, which opens without any script of ours.
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto("/")
    incidents = page.get_by_role("banner").get_by_role("link", name="Incidents")
    expect(incidents).to_be_hidden()
    page.get_by_text("Menu", exact=True).click()
    expect(incidents).to_be_visible()
    page.screenshot(path=str(shots / "menu-en-375.png"))
    assert not errors, errors
    assert not problems, "\n".join(problems)


@pytest.mark.browser
def test_login_page_fits_a_phone(page: Page) -> None:
    errors: list[str] = []

    def console(message: ConsoleMessage) -> None:
        if message.type == "error":
            errors.append(message.text)

    page.on("console", console)
    english = translated_english()
    page.goto("/login/")
    for language in ("ja", "en"):
        # Before login the language comes from this cookie (set by the language picker).
        page.context.add_cookies([{"name": "django_language", "value": language, "url": page.url}])
        page.goto("/login/")
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 800})
            assert page.evaluate(OVERFLOW) <= 0, f"{language} {width}px"
        if language == "ja":
            assert not set(page.evaluate(VISIBLE_TEXT)) & english
    assert not errors, errors
