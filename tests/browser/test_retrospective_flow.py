"""A resolved SEV2 incident's retrospective, clicked through in real Chromium, in Japanese and
in English: started from a template on the incident's page, edited with the live preview,
sent for review, approved by another responder, and published. Screenshots at 375 px and
1280 px go to var/screenshots/.

The texts the test looks for are taken from the same translation catalogue the pages use
(gettext under the page's language), so the test reads the page as its reader would."""

import importlib
from pathlib import Path

import pytest
from django.apps import apps
from django.utils import translation
from playwright.sync_api import Page, expect

from kizuki.accounts import actions as accounts
from kizuki.accounts.models import User
from kizuki.retros.models import RetroStatus
from tests.browser.conftest import in_, log_in, shoot
from tests.conftest import Api, MovableClock, make_user
from tests.retros.domain_support import resolved_incident

pytestmark = pytest.mark.browser

CAUSE = {
    "ja": "**接続プールの枯渇**：決済APIのデプロイ4521で上限が20に下がっていた。",
    "en": "**Connection pool exhausted**: deploy 4521 of the payment API lowered it to 20.",
}
CAUSE_STRONG = {"ja": "接続プールの枯渇", "en": "Connection pool exhausted"}
TEMPLATE = {"ja": "障害振り返り（エビデンス付き）", "en": "Postmortem with evidence"}


@pytest.fixture(autouse=True)
def templates(transactional_db: None) -> None:
    """The built-in templates, seeded as retros' migration 0001 does (transactional tests
    flush every table, so the rows the migration wrote are gone)."""
    migration = importlib.import_module("kizuki.retros.migrations.0001_initial")
    migration.seed(apps, None)


@pytest.mark.parametrize("language", ["ja", "en"])
def test_a_sev2_retrospective_from_start_to_published(
    page: Page,
    responder: User,
    responder_api: Api,
    frozen_clock: MovableClock,
    screenshots: Path,
    language: str,
) -> None:
    t = in_(language)
    reviewer = make_user("kai", "responder")
    for person in (responder, reviewer):
        accounts.set_language(person, language)
    ref = resolved_incident(responder_api, frozen_clock, title="決済APIの遅延 / Payment API slow")

    # The resolved SEV2 asks for a retrospective, with a due date, on the incident's page.
    log_in(page, responder)
    page.goto(f"/incidents/{ref}/")
    expect(page.locator("html")).to_have_attribute("lang", language)
    panel = page.get_by_test_id("retrospective-panel")
    expect(panel).to_contain_text(t("Required"))
    expect(panel).to_contain_text("2026-12-09")  # resolved 11-25 + SEV2's 14 days
    shoot(page, screenshots, f"retro-incident-panel-{language}")

    # Start from the Mirrativ-style postmortem.
    panel.get_by_label(t("Template")).select_option("postmortem")
    expect(panel.get_by_label(t("Template")).locator("option:checked")).to_have_text(
        TEMPLATE[language]
    )
    panel.get_by_role("button", name=t("Start retrospective")).click()
    expect(page).to_have_url(
        f"{page.url.split('/incidents/')[0]}/incidents/{ref}/retrospective/edit/"
    )
    editor = page.get_by_test_id("retro-editor")
    # Pre-filled from the incident: the timeline section holds the backdated note.
    expect(editor.get_by_test_id("edit-flow").locator("textarea")).to_contain_text(
        "Deploy 4521 of checkout-api went out"
    )

    # Write the cause; the preview beside the box renders it as it is typed. The editor was
    # reached by a click: wait until htmx (a deferred script) listens before typing.
    page.wait_for_load_state("load")
    cause = editor.get_by_test_id("edit-cause").locator("textarea")
    cause.fill(CAUSE[language])
    preview = editor.get_by_test_id("preview-cause")
    # A round trip to the server after a 400 ms pause: allow for a busy CI machine.
    expect(preview.locator("strong")).to_have_text(CAUSE_STRONG[language], timeout=15_000)
    shoot(page, screenshots, f"retro-editor-{language}")
    editor.get_by_role("button", name=t("Save and view"), exact=True).click()
    expect(page.get_by_role("status")).to_have_text(t("Saved."))
    expect(page.get_by_test_id("section-cause").locator("strong")).to_have_text(
        CAUSE_STRONG[language]
    )

    # Ask kai for a review and submit it.
    reviews = page.get_by_test_id("reviews")
    reviews.get_by_text(t("Ask for a review")).click()
    reviews.get_by_label("kai").check()
    reviews.get_by_role("button", name=t("Request review")).click()
    expect(page.get_by_test_id("reviews")).to_contain_text("kai")
    actions = page.get_by_test_id("retro-actions")
    actions.get_by_role("button", name=t("Submit for review")).click()
    in_review = str(RetroStatus.IN_REVIEW.label)
    with translation.override(language):
        in_review = str(RetroStatus.IN_REVIEW.label)
        published = str(RetroStatus.PUBLISHED.label)
    expect(page.get_by_test_id("retro-status")).to_have_text(in_review)
    # Not publishable before kai approves.
    expect(page.get_by_test_id("publish-blocker")).to_be_visible()

    # kai approves.
    page.context.clear_cookies()
    log_in(page, reviewer)
    page.goto(f"/incidents/{ref}/retrospective/")
    review = page.get_by_test_id("reviews")
    review.get_by_label(t("Approve")).check()
    review.get_by_role("textbox", name=t("Comment")).fill("OK")
    review.get_by_role("button", name=t("Send review")).click()
    expect(page.get_by_role("status")).to_have_text(t("Thank you for the review."))

    # The owner publishes.
    page.context.clear_cookies()
    log_in(page, responder)
    page.goto(f"/incidents/{ref}/retrospective/")
    expect(page.get_by_test_id("publish-blocker")).to_have_count(0)
    page.get_by_test_id("retro-actions").get_by_role("button", name=t("Publish")).click()
    expect(page.get_by_test_id("retro-status")).to_have_text(published)
    expect(
        page.get_by_test_id("retro-actions").get_by_role("button", name=t("Reopen"))
    ).to_be_visible()
    shoot(page, screenshots, f"retro-published-{language}")

    # The history shows the change to the cause; the PDF downloads from the page.
    page.get_by_role("link", name=t("History")).click()
    expect(page.get_by_test_id("diff").locator("ins").first).to_contain_text(CAUSE_STRONG[language])
    with page.expect_download() as download:
        page.get_by_role("link", name="PDF").click()
    assert download.value.suggested_filename == f"{ref}-retrospective.pdf"
