"""The retrospective's other pages: version history with diffs, the summary for stakeholders
(kept apart from the internal document), and the list with its filters."""

import pytest

from kizuki.accounts.models import User
from tests.conftest import Api, MovableClock
from tests.retros.domain_support import in_language, ok, resolved_incident, start
from tests.retros.web_support import browser, messages_on, page, post, text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def english(responder_api: Api) -> Api:
    return in_language(responder_api, "en")


@pytest.fixture
def ref(english: Api, frozen_clock: MovableClock) -> str:
    ref = resolved_incident(english, frozen_clock)
    start(english, ref, "incident-review")
    return ref


def doc(ref: str, rest: str = "") -> str:
    return f"/incidents/{ref}/retrospective/{rest}"


def edit(api: Api, ref: str, key: str, text: str) -> None:
    ok(api.patch(f"/incidents/{ref}/retrospective", {"sections": {key: text}}))


def test_history_lists_versions_and_shows_what_changed(
    viewer: User, english: Api, ref: str, frozen_clock: MovableClock
) -> None:
    edit(english, ref, "direct-cause", "Pool exhausted\nafter deploy")
    frozen_clock.advance(minutes=5)
    edit(english, ref, "direct-cause", "Pool exhausted\nafter deploy 4521")
    html = page(browser(viewer), doc(ref, "history/"))
    assert "Changes from version 2 to 3" in html
    assert "<del>after deploy</del>" in html
    assert "<ins>after deploy 4521</ins>" in html
    assert "Cause and response: direct cause" in html
    for number in ("v1", "v2", "v3"):
        assert number in html
    # Any two versions compare; the prefilled version 1 against the latest.
    html = page(browser(viewer), doc(ref, "history/?old=1&new=3"))
    assert "Changes from version 1 to 3" in html
    assert "<ins>Pool exhausted</ins>" in html
    # Nonsense numbers are not an error page.
    html = page(browser(viewer), doc(ref, "history/?old=9&new=x"))
    assert "Choose two versions to compare." in html


def test_the_summary_for_stakeholders_is_written_on_its_own_page(
    responder: User, viewer: User, ref: str
) -> None:
    client = browser(responder)
    html = page(client, doc(ref, "summary/"))
    # The editor starts from the impact facts and the two questions to answer.
    assert "About 1,200 shoppers could not pay" in html
    assert "What went wrong" in html
    assert "What will change" in html
    response = post(
        client,
        doc(ref, "summary/"),
        {"summary": "## Impact\n\nSome payments failed for 45 minutes.\n\nSafer deploys."},
    )
    assert "Summary saved." in messages_on(response)
    shown = page(browser(viewer), doc(ref, "summary/"))
    assert "Some payments failed for 45 minutes." in shown
    assert "Save summary" not in shown, "viewers read it only"
    assert browser(viewer).post(doc(ref, "summary/"), {"summary": "x"}).status_code == 403
    download = browser(viewer).get(doc(ref, "summary/?format=md"))
    assert "Some payments failed for 45 minutes." in download.content.decode()
    # Kept apart: not in the internal document or its exports.
    assert "Some payments failed" not in page(browser(viewer), doc(ref))
    assert "Some payments failed" not in browser(viewer).get(doc(ref, "export.md")).content.decode()


def test_the_list_filters_by_state_required_and_overdue(
    viewer: User, english: Api, ref: str, frozen_clock: MovableClock
) -> None:
    other = resolved_incident(english, frozen_clock, severity=4, title="Slow search")
    start(english, other, "postmortem")
    client = browser(viewer)
    everything = text_of(page(client, "/retrospectives/"))
    assert "Checkout fails" in everything
    assert "Slow search" in everything
    # The SEV2 became required when it resolved (due 14 days later); the SEV4 did not.
    required = text_of(page(client, "/retrospectives/?required=on"))
    assert "Checkout fails" in required
    assert "Slow search" not in required
    assert "· Overdue" not in required
    frozen_clock.advance(days=20)
    overdue = text_of(page(client, "/retrospectives/?overdue=on"))
    assert "Checkout fails" in overdue
    assert "2026-12-09 · Overdue" in overdue
    assert "Slow search" not in overdue
    ok(english.post(f"/incidents/{other}/retrospective/transitions", {"to": "in_review"}))
    in_review = text_of(page(client, "/retrospectives/?status=in_review"))
    assert "Slow search" in in_review
    assert "Checkout fails" not in in_review
    # A state that does not exist is a form error, not a failure.
    assert "Slow search" in text_of(page(client, "/retrospectives/?status=bogus"))


def test_the_list_needs_a_login() -> None:
    assert browser().get("/retrospectives/").status_code == 302
