"""The incident score in real Chromium: choosing an impact scope and effect on the report form
and the declare step shows the severity it suggests and preselects it (incident.js); declaring
takes it. Screenshots of both pages at 375 px and 1280 px."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from kizuki.accounts.models import User
from tests.browser.conftest import log_in


def card(page: Page, heading: str) -> Locator:
    return page.locator("section.card").filter(
        has=page.get_by_role("heading", name=heading, exact=True)
    )


def shoot(page: Page, folder: Path, name: str) -> None:
    for width in (375, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=folder / f"{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_score_suggests_the_severity_and_declaring_takes_it(
    page: Page, responder: User, screenshots: Path
) -> None:
    log_in(page, responder)
    page.goto("/report/")
    page.get_by_label("What is wrong?").fill("Orders are not reaching the kitchen")
    suggestion = page.get_by_test_id("suggested-severity")
    expect(suggestion).to_be_hidden()
    page.get_by_label("Impact scope").select_option("3")
    page.get_by_label("Impact effect").select_option("3")
    expect(suggestion).to_have_text("Suggested: SEV2 (score 9)")
    shoot(page, screenshots, "impact-scoring-report")
    page.get_by_role("button", name="Send report").click()
    page.get_by_role("link", name="Follow the incident").click()
    expect(page).to_have_url(re.compile(r"/incidents/INC-1/$"))

    # The declare step starts from the reported score: SEV2 is preselected.
    step = card(page, "Next step")
    expect(step.get_by_test_id("suggested-severity")).to_have_text("Suggested: SEV2 (score 9)")
    expect(step.get_by_label("Severity")).to_have_value("2")
    # Core work turns out impossible: the score and the suggestion follow.
    step.get_by_label("Impact effect").select_option("5")
    expect(step.get_by_test_id("suggested-severity")).to_have_text("Suggested: SEV1 (score 15)")
    expect(step.get_by_label("Severity")).to_have_value("1")
    shoot(page, screenshots, "impact-scoring-declare")
    step.get_by_role("button", name="Declare", exact=True).click()

    expect(page.get_by_test_id("severity")).to_have_text("SEV1 Critical")
    expect(page.get_by_test_id("impact-score")).to_have_text("15 (scope × effect), impact level 10")
    expect(page.get_by_test_id("impact-effect")).to_have_text("5: Core work impossible")
