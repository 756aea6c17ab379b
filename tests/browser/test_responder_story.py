"""A responder's tool at 3 a.m., the whole story in real Chromium, in Japanese and in English,
at 375 px and at 1280 px (issue 11's "Done when").

An admin sets paging up entirely in the web: a schedule, an override that puts taro on call
now, a two-step escalation policy (the schedule, then rei) and the service's policy. A viewer
reports from a phone and taro is e-mailed. The commander declares SEV1 and the key person is
paged, changes the severity to SEV2, posts an update due in 30 minutes, adds a note and edits
it, sees the countdown turn overdue once the clock moves on, and resolves with a final message
that the status page shows under Resolved.

Texts are looked up in the translation catalogue, so the same story reads both languages. The
clock is pinned at 2026-11-25 10:00 Asia/Tokyo (the live server runs in this process)."""

import re
from pathlib import Path

import pytest
from django.core import mail
from playwright.sync_api import Browser, BrowserContext, Page, expect

from kizuki.accounts import actions as accounts
from kizuki.accounts.models import User
from kizuki.catalog import actions as catalog
from kizuki.incidents import mobilisation
from kizuki.incidents.models import Incident
from tests.browser.conftest import BEYOND_LOOPBACK, OVERFLOW, in_, log_in
from tests.conftest import PASSWORD, MovableClock, make_user
from tests.jobs import run_worker

pytestmark = pytest.mark.browser

TITLE = {"ja": "決済画面が開かない", "en": "Checkout page does not open"}
NOTE = {"ja": "ロードバランサーの 502 が増加", "en": "502s from the load balancer are up"}
EDITED_NOTE = {
    "ja": "ロードバランサーの 502 が増加（10:05 から）",
    "en": "502s from the load balancer are up (since 10:05)",
}
FINAL = {
    "ja": "決済は 10:40 に復旧しました。ご不便をおかけしました。",
    "en": "Checkout recovered at 10:40. We are sorry for the trouble.",
}


@pytest.fixture
def people(frozen_clock: MovableClock) -> dict[str, User]:
    found = {
        "aki": make_user("aki", "admin"),
        "rei": make_user("rei", "responder"),
        "taro": make_user("taro", "responder"),
        "ken": make_user("ken", "responder"),
        "yui": make_user("yui", "viewer"),
    }
    team = accounts.create_team("payments", "Payments")
    catalog.register_service(None, "Checkout", team=team)
    # The key people, paged when a severity says so (SEV1 by default).
    mobilisation.update_paging_settings(None, {"key_people": ["ken"]})
    return found


def phone(browser: Browser, base_url: str, language: str) -> BrowserContext:
    context = browser.new_context(
        base_url=base_url,
        locale="ja-JP" if language == "ja" else "en-US",
        timezone_id="Asia/Tokyo",
        viewport={"width": 375, "height": 800},
        is_mobile=True,
        has_touch=True,
    )
    context.set_default_timeout(10_000)
    context.route(BEYOND_LOOPBACK, lambda route: route.abort())
    return context


def sign_in(page: Page, user: User) -> None:
    """The login page in the browser's language (Japanese on the Japanese phone)."""
    page.goto("/login/")
    page.locator("input[name=username]").fill(user.username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form button").click()
    page.wait_for_url("/")


def fits(page: Page, shots: Path, name: str) -> None:
    assert page.evaluate(OVERFLOW) <= 0, f"{name} scrolls sideways"
    page.screenshot(path=str(shots / f"{name}.png"), full_page=True)


def mailed_to(username: str) -> list[mail.EmailMessage]:
    return [m for m in mail.outbox if f"{username}@example.test" in m.to]


@pytest.mark.parametrize(
    ("language", "width"), [("ja", 375), ("ja", 1280), ("en", 375), ("en", 1280)]
)
def test_report_page_declare_and_resolve_with_paging_set_up_in_the_web(
    page: Page,
    browser: Browser,
    live_server: object,
    people: dict[str, User],
    frozen_clock: MovableClock,
    screenshots: Path,
    language: str,
    width: int,
) -> None:
    say = in_(language)
    for user in people.values():
        accounts.set_language(user, language)
    shots = screenshots / f"story-{language}-{width}"
    shots.mkdir(exist_ok=True)
    page.set_viewport_size({"width": width, "height": 900})

    # The admin: a schedule, an override for taro now, a two-step policy, the service's policy.
    log_in(page, people["aki"])
    page.goto("/schedules/new/")
    page.get_by_label(say("Name"), exact=False).first.fill("Checkout primary")
    page.get_by_label(say("People, in rotation order")).fill("rei")
    page.get_by_label(say("Shift length")).fill("1w")
    page.get_by_label(say("Hand-off time")).fill("09:00")
    page.get_by_role("button", name=say("Create schedule")).click()
    expect(page.get_by_text(say("Schedule created."))).to_be_visible()
    override = page.get_by_test_id("override-form")
    override.get_by_label(say("Person")).select_option("taro")
    override.get_by_label(say("From")).fill("2026-11-25T09:30")
    override.get_by_label(say("Until")).fill("2026-11-25T18:00")
    page.get_by_test_id("add-override").click()
    expect(page.get_by_test_id("on-call")).to_have_text("taro")
    fits(page, shots, "1-schedule")

    page.goto("/escalation-policies/new/")
    page.get_by_label(say("Name")).first.fill("Checkout")
    page.get_by_test_id("step-0-target-0-kind").select_option("schedule")
    page.get_by_test_id("step-0-target-0-id").select_option(label="Checkout primary")
    page.get_by_test_id("step-0-wait").fill("10")
    page.get_by_test_id("add-step").click()
    page.get_by_test_id("step-1-target-0-kind").select_option("user")
    page.get_by_test_id("step-1-target-0-id").select_option(label="rei")
    page.get_by_test_id("step-1-wait").fill("15")
    fits(page, shots, "2-policy-builder")
    page.get_by_test_id("policy-save").click()
    steps = page.locator("ol.steps li")
    expect(steps).to_have_count(2)
    expect(steps.first).to_contain_text("Checkout primary")
    expect(steps.last).to_contain_text("rei")

    page.goto("/services/")
    page.get_by_role("link", name="Checkout").click()
    policy = page.get_by_test_id("policy-form")
    policy.get_by_label(say("Escalation policy")).select_option(label="Checkout")
    policy.get_by_role("button", name=say("Save policy")).click()
    expect(page.get_by_test_id("service-policy")).to_contain_text("Checkout")
    fits(page, shots, "3-service")

    # A viewer reports from a phone; whoever is on call (taro) is e-mailed.
    context = phone(browser, str(live_server), language)
    viewer = context.new_page()
    sign_in(viewer, people["yui"])
    viewer.goto("/report/")
    viewer.get_by_label(say("What is wrong?")).fill(TITLE[language])
    viewer.get_by_label("Checkout").check()
    viewer.get_by_role("button", name=say("Send report")).click()
    expect(viewer.get_by_role("heading", level=1)).to_have_text(say("Thank you for reporting"))
    expect(viewer.locator("main")).to_contain_text("taro")
    fits(viewer, shots, "4-report-thanks")
    context.close()
    run_worker()
    assert mailed_to("taro"), "the on-call was not e-mailed"
    incident = Incident.objects.get()

    # The commander declares SEV1: the key person (ken) is paged.
    page.context.clear_cookies()
    log_in(page, people["rei"])
    page.goto(f"/incidents/{incident.ref}/")
    next_step = page.locator("#next-step")
    next_step.get_by_label(say("Severity")).select_option("1")
    next_step.get_by_role("button", name=say("Declare")).click()
    expect(page.get_by_test_id("status")).to_have_text(say("Declared"))
    run_worker()
    assert mailed_to("ken"), "the key people were not paged"
    roles = page.locator("form[action$='/roles/']")
    roles.get_by_label(say("Person")).select_option("rei")
    roles.get_by_role("button", name=say("Assign")).click()
    expect(page.get_by_test_id("commander")).to_have_text("rei")

    # SEV1 → SEV2 from the edit form; the timeline says so.
    page.locator("#edit_form summary").click()
    page.locator("#edit_form").get_by_label(say("Severity")).select_option("2")
    page.locator("#edit_form").get_by_role("button", name=say("Save")).click()
    expect(page.get_by_test_id("severity")).to_contain_text("SEV2")
    expect(page.get_by_test_id("timeline")).to_contain_text("SEV2")

    # An update due in 30 minutes, a note, the note edited.
    status = page.locator("#status_form")
    status.get_by_label(say("Status update")).fill(say("Investigating."))
    status.get_by_label(say("Next update due")).fill("2026-11-25T10:30")
    status.get_by_role("button", name=say("Post status update")).click()
    expect(page.get_by_test_id("next-update")).not_to_have_class(re.compile("overdue"))
    page.locator("#timeline_form").get_by_label(say("What happened?")).fill(NOTE[language])
    page.get_by_role("button", name=say("Add to timeline")).click()
    entry = page.get_by_test_id("timeline").locator("li", has_text=NOTE[language])
    entry.get_by_role("link", name=say("Edit")).click()
    page.get_by_label(say("Note")).fill(EDITED_NOTE[language])
    page.get_by_role("button", name=say("Save")).click()
    expect(page.get_by_test_id("timeline")).to_contain_text(EDITED_NOTE[language])
    fits(page, shots, "5-incident")

    # 31 minutes later nobody has posted: the countdown is overdue (red).
    frozen_clock.advance(minutes=31)
    page.reload()
    countdown = page.get_by_test_id("next-update")
    expect(countdown).to_have_class(re.compile("overdue"))
    fits(page, shots, "6-overdue")

    # Resolved with a final message, which the status page shows under Resolved.
    page.get_by_test_id("final-message").fill(FINAL[language])
    page.locator("#next-step").get_by_role("button", name=say("Mark resolved")).click()
    expect(page.get_by_test_id("status")).to_have_text(say("Resolved"))
    # The reporter reads the status page on her phone.
    context = phone(browser, str(live_server), language)
    viewer = context.new_page()
    sign_in(viewer, people["yui"])
    viewer.goto("/status/")
    expect(viewer.get_by_test_id("resolved")).to_contain_text(FINAL[language])
    expect(viewer.get_by_test_id("ongoing")).not_to_contain_text(TITLE[language])
    fits(viewer, shots, "7-status-page")
    context.close()
