"""Classifying the cause after the fact, in real Chromium: a closed incident's page offers the
cause alone (the rest is the record), the header then shows it, and the retrospective shows
the cause with a link back to that form; in English and Japanese, on a phone and a desktop."""

from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, expect

from kizuki.accounts import actions as accounts
from kizuki.accounts.models import User
from kizuki.incidents.models import CauseCategory
from tests.browser.conftest import in_, log_in, shoot
from tests.conftest import Api
from tests.incidents.support import incident_in

pytestmark = pytest.mark.browser


def test_a_closed_incidents_cause_is_classified_at_the_retrospective(
    context: BrowserContext, responder: User, responder_api: Api, screenshots: Path
) -> None:
    ref = incident_in(responder_api, "closed")
    assert responder_api.post(f"/incidents/{ref}/retrospective", {}).status_code == 201
    page = context.new_page()
    log_in(page, responder)
    for language, slug in (("en", "capacity"), ("ja", "dependency")):
        accounts.set_language(responder, language)
        say = in_(language)
        category = CauseCategory.objects.get(slug=slug)
        name = category.name_en if language == "en" else category.name_ja

        page.goto(f"/incidents/{ref}/retrospective/")
        page.get_by_test_id("retro-cause-link").click()

        form = page.locator("#cause_form")
        expect(page.get_by_test_id("read-only")).to_be_visible()
        expect(page.get_by_text(say("Edit details"))).to_have_count(0)
        form.get_by_label(say("Cause category")).select_option(slug)
        shoot(page, screenshots, f"incident-cause-form-{language}")
        form.get_by_role("button", name=say("Save the cause")).click()

        expect(page.get_by_test_id("cause-category")).to_contain_text(name)
        expect(page.get_by_test_id("status")).to_have_text(say("Closed"))
        shoot(page, screenshots, f"incident-cause-set-{language}")
        page.goto(f"/incidents/{ref}/retrospective/")
        expect(page.get_by_test_id("retro-cause")).to_contain_text(name)
        expect(page.get_by_test_id("retro-cause-link")).to_have_text(say("Change the cause"))
        shoot(page, screenshots, f"retro-cause-{language}")
