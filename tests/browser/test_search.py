"""Searching from the header's box in real Chromium: Japanese and English words, highlighted
results, a phone and a desktop; and similar incidents on a new report's page."""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from kizuki.accounts import actions as accounts
from kizuki.accounts.models import User
from kizuki.catalog import actions as catalog
from kizuki.incidents import actions
from kizuki.knowledge import actions as knowledge
from tests.browser.conftest import OVERFLOW, log_in
from tests.conftest import MovableClock, make_user
from tests.jobs import run_queued_jobs

pytestmark = pytest.mark.browser


@pytest.fixture
def past(transactional_db: None, frozen_clock: MovableClock) -> None:
    """Past incidents in both languages, indexed by the worker, one with a retrospective."""
    responder = make_user("rin", "responder")
    team = accounts.create_team("payments", "Payments")
    checkout = catalog.create_service("checkout", "Checkout", team)
    first = actions.report_incident(
        responder,
        "決済APIで障害が発生",
        "カード決済の一部がタイムアウトしています。<b>原因</b>は調査中。",
        severity=2,
        services=[checkout],
    )
    frozen_clock.advance(days=1)
    actions.report_incident(responder, "決済基盤の応答遅延", "バッチ処理の遅延が続いている。")
    frozen_clock.advance(days=1)
    actions.report_incident(
        responder, "Payments failing at checkout", "Card payments failed for ten minutes."
    )
    frozen_clock.advance(days=1)
    run_queued_jobs()
    knowledge.index_document(
        "retrospective",
        "r1",
        title=f"{first.ref} 振り返り: 決済APIの障害",
        body="決済代行のタイムアウト設定が短すぎた。",
        url=f"/incidents/{first.ref}/",
        incident_id=first.pk,
        occurred_at=frozen_clock.now,
    )


def search_from_header(page: Page, words: str) -> None:
    box = page.get_by_role("banner").get_by_role("searchbox")
    box.fill(words)
    box.press("Enter")
    page.wait_for_url("**/search/?q=*")


def test_search_from_the_header_in_japanese_and_english(
    page: Page, viewer: User, past: None, screenshots: Path
) -> None:
    errors: list[str] = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    log_in(page, viewer)
    search_from_header(page, "障害")
    results = page.get_by_test_id("search-results")
    expect(results.get_by_test_id("search-count")).to_have_text("2 results")
    # The incident and its retrospective: both titles hold the word, marked.
    incident = results.get_by_test_id("search-hit").filter(has_text="Incident")
    expect(incident.get_by_role("link")).to_have_text("INC-1 決済APIで障害が発生")
    expect(incident.locator("h2 mark")).to_have_text("障害")
    retrospective = results.get_by_test_id("search-hit").filter(has_text="Retrospective")
    expect(retrospective.locator("h2 mark")).to_have_text("障害")
    # The text's markup is shown as text, not run.
    expect(incident.locator(".snippet")).to_contain_text("<b>原因</b>")
    page.screenshot(path=str(screenshots / "search-ja-1280.png"), full_page=True)

    # A word inside compounds, then narrowed by a filter.
    search_from_header(page, "決済")
    expect(results.get_by_test_id("search-count")).to_have_text("3 results")
    # With htmx a changed filter refreshes the results in place (and the address).
    page.get_by_label("Kind").select_option("incident")
    expect(results.get_by_test_id("search-count")).to_have_text("2 results")
    page.wait_for_url("**/search/?q=*kind=incident*")
    page.get_by_label("Severity").select_option("2")
    expect(results.get_by_test_id("search-count")).to_have_text("1 result")
    # As a plain form too.
    page.get_by_role("main").get_by_role("button", name="Search").click()
    expect(results.get_by_test_id("search-count")).to_have_text("1 result")

    # English, whatever the ending; from the box of another page.
    page.goto("/incidents/")
    search_from_header(page, "payment failure")
    expect(results.get_by_test_id("search-count")).to_have_text("1 result")
    expect(results.locator("mark").first).to_have_text("Payments")
    results.get_by_role("link", name="INC-3 Payments failing at checkout").click()
    page.wait_for_url("**/incidents/INC-3/")

    page.set_viewport_size({"width": 375, "height": 800})
    search_from_header(page, "遅延")
    expect(results.get_by_test_id("search-count")).to_have_text("1 result")
    assert page.evaluate(OVERFLOW) <= 0
    page.screenshot(path=str(screenshots / "search-ja-375.png"), full_page=True)
    assert errors == []


def test_a_japanese_reader_searches(
    page: Page, viewer: User, past: None, screenshots: Path
) -> None:
    accounts.set_language(viewer, "ja")
    log_in(page, viewer)
    expect(page.locator("html")).to_have_attribute("lang", "ja")
    search_from_header(page, "ＡＰＩ")  # full-width, as a Japanese keyboard may type it
    hits = page.get_by_test_id("search-hit")
    expect(hits).to_have_count(2)
    expect(hits.first.locator("mark").first).to_have_text("API")
    page.set_viewport_size({"width": 375, "height": 800})
    assert page.evaluate(OVERFLOW) <= 0
    page.screenshot(path=str(screenshots / "search-ja-ui-375.png"), full_page=True)


def test_a_new_report_shows_similar_incidents(
    page: Page, viewer: User, past: None, screenshots: Path
) -> None:
    log_in(page, viewer)
    page.get_by_role("banner").get_by_role("link", name="Report an incident").click()
    page.get_by_label("What is wrong?").fill("決済でタイムアウトが多発")
    page.get_by_label("What do you see?").fill("カード決済が失敗する")
    page.get_by_role("button", name="Send report").click()
    page.wait_for_url("**/thanks/")
    page.goto("/incidents/INC-4/")
    panel = page.get_by_test_id("similar-incidents")
    expect(panel.get_by_role("link").first).to_have_text("INC-1 決済APIで障害が発生")
    expect(panel.get_by_role("link", name="Retrospective")).to_have_attribute(
        "href", "/incidents/INC-1/"
    )
    page.screenshot(path=str(screenshots / "similar-1280.png"), full_page=True)
    page.set_viewport_size({"width": 375, "height": 800})
    assert page.evaluate(OVERFLOW) <= 0
    page.screenshot(path=str(screenshots / "similar-375.png"), full_page=True)
