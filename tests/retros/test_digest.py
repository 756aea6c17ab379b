"""The learnings digest: retrospectives published in a period with their key lessons (the
prevention and reflection sections), as a page and as Markdown."""

import pytest

from kizuki.accounts.models import User
from tests.conftest import Api, MovableClock
from tests.retros.domain_support import in_language, ok, resolved_incident, start
from tests.retros.web_support import browser, page, text_of

pytestmark = pytest.mark.django_db

LESSON = "Canary every deploy of checkout-api.\n\n### Owner\n\nPayments team"


def published(api: Api, clock: MovableClock, title: str, lesson: str) -> str:
    ref = resolved_incident(api, clock, title=title)
    start(api, ref, "incident-review")
    ok(
        api.patch(
            f"/incidents/{ref}/retrospective",
            {"sections": {"prevention": lesson, "response-reflection": "Paging took 5 minutes."}},
        )
    )
    ok(api.post(f"/incidents/{ref}/retrospective/transitions", {"to": "in_review"}))
    ok(api.post(f"/incidents/{ref}/retrospective/transitions", {"to": "published"}))
    return ref


@pytest.fixture
def english(responder_api: Api) -> Api:
    return in_language(responder_api, "en")


def test_the_digest_shows_the_period_and_its_lessons(
    viewer: User, english: Api, frozen_clock: MovableClock
) -> None:
    published(english, frozen_clock, "Checkout fails", LESSON)  # 2026-11-25
    frozen_clock.advance(days=10)
    published(english, frozen_clock, "Search is slow", "Cache warm-up before traffic.")  # 12-05
    unpublished = resolved_incident(english, frozen_clock, title="Still a draft")
    start(english, unpublished, "incident-review")
    client = browser(viewer)
    # The default: the last 30 days up to today (2026-12-05 in Tokyo).
    everything = text_of(page(client, "/retrospectives/learnings/"))
    assert "2026-11-06 – 2026-12-05" in everything
    assert "2 retrospectives published" in everything
    assert "Canary every deploy of checkout-api." in everything
    assert "Paging took 5 minutes." in everything  # the reflection is a lesson too
    assert "Cache warm-up before traffic." in everything
    assert "Still a draft" not in everything
    # One week: only the first.
    week = text_of(page(client, "/retrospectives/learnings/?start=2026-11-20&end=2026-11-27"))
    assert "1 retrospective published" in week
    assert "Checkout fails" in week
    assert "Search is slow" not in week


def test_the_digest_downloads_as_markdown(
    viewer: User, english: Api, frozen_clock: MovableClock
) -> None:
    ref = published(english, frozen_clock, "Checkout fails", LESSON)
    response = browser(viewer).get(
        "/retrospectives/learnings/?start=2026-11-01&end=2026-11-30&format=md"
    )
    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    assert 'filename="learnings-2026-11-01-2026-11-30.md"' in response["Content-Disposition"]
    text = response.content.decode()
    assert text.startswith("# Learnings digest 2026-11-01 - 2026-11-30\n")
    assert f"## {ref} Checkout fails" in text
    assert "### Cause and response: prevention" in text
    assert "Canary every deploy of checkout-api." in text
    # A heading inside a lesson sits below the lesson's own heading.
    assert "###### Owner" in text
    assert f"/incidents/{ref}/retrospective/" in text


def test_a_period_that_ends_before_it_starts_is_a_form_error(viewer: User) -> None:
    html = page(browser(viewer), "/retrospectives/learnings/?start=2026-11-20&end=2026-11-01")
    assert "The end comes before the start." in html


def test_the_digest_needs_a_login() -> None:
    assert browser().get("/retrospectives/learnings/").status_code == 302
