"""The retrospective in the web pages, the way a person uses them: the panel on the incident's
page, starting from a template, editing with a preview, comments, review and publishing."""

import re

import pytest

from kizuki.accounts.models import User
from tests.conftest import Api, MovableClock, make_user
from tests.retros.domain_support import resolved_incident
from tests.retros.web_support import browser, messages_on, page, post, text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def ref(responder_api: Api, frozen_clock: MovableClock) -> str:
    return resolved_incident(responder_api, frozen_clock)


def doc(ref: str, rest: str = "") -> str:
    return f"/incidents/{ref}/retrospective/{rest}"


def start(responder: User, ref: str, template: str = "incident-review") -> None:
    response = post(browser(responder), doc(ref, "start/"), {"template": template})
    assert response.redirect_chain[-1][0] == doc(ref, "edit/"), messages_on(response)


def test_the_incident_page_offers_a_responder_to_start_from_a_template(
    responder: User, viewer: User, ref: str
) -> None:
    html = page(browser(responder), f"/incidents/{ref}/")
    assert 'data-testid="retrospective-panel"' in html
    assert "Start retrospective" in html
    for name in ("Incident review", "Postmortem with evidence", "Response record"):
        assert name in html, name
    # A viewer reads the panel, without the button.
    viewer_html = page(browser(viewer), f"/incidents/{ref}/")
    assert 'data-testid="retrospective-panel"' in viewer_html
    assert "Start retrospective" not in viewer_html


def test_starting_lands_in_the_editor_pre_filled_from_the_incident(
    responder: User, ref: str
) -> None:
    start(responder, ref)
    html = page(browser(responder), doc(ref, "edit/"))
    assert "Overview: timeline" in html
    assert "Deploy 4521 of checkout-api went out" in html  # the backdated note
    assert "About 1,200 shoppers could not pay" in html  # impact
    # Each section shows its template's guidance beside the box.
    assert "where did the minutes go?" in html
    # The incident's panel now links the document and shows its state.
    panel = text_of(page(browser(responder), f"/incidents/{ref}/"))
    assert "Draft" in panel
    assert "Start retrospective" not in panel


def test_saving_makes_a_version_and_the_document_renders_markdown_safely(
    responder: User, ref: str
) -> None:
    start(responder, ref)
    client = browser(responder)
    response = post(
        client,
        doc(ref, "edit/"),
        {
            "base_version": "1",
            "owner": responder.username,
            "due": "2026-12-09",
            "section-direct-cause": "**Pool exhausted** <script>alert(1)</script>",
        },
    )
    assert "Saved." in messages_on(response)
    html = page(client, doc(ref))
    assert "<strong>Pool exhausted</strong>" in html
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html
    assert "2026-12-09" in html
    facts = text_of(html)
    assert "Version 2" in facts


def test_the_preview_renders_what_is_typed(responder: User, viewer: User, ref: str) -> None:
    start(responder, ref)
    response = browser(responder).post(
        doc(ref, "preview/"),
        {
            "field": "section-direct-cause",
            "section-direct-cause": "| a | b |\n|--|--|\n| 決済 | 障害 |",
        },
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "<td>決済</td>" in response.content.decode()
    # Only people who may edit it get previews.
    refused = browser(viewer).post(doc(ref, "preview/"), {"field": "text", "text": "x"})
    assert refused.status_code == 403


def test_a_stale_form_does_not_overwrite_a_newer_version(responder: User, ref: str) -> None:
    start(responder, ref)
    client = browser(responder)
    post(client, doc(ref, "edit/"), {"base_version": "1", "section-direct-cause": "First"})
    response = post(
        client, doc(ref, "edit/"), {"base_version": "1", "section-direct-cause": "Mine"}
    )
    assert any("Someone saved version 2" in message for message in messages_on(response))
    assert "Mine" in response.content.decode(), "the typed text stays in the box"
    assert "First" in page(client, doc(ref))


def test_review_and_publish_through_the_pages(responder: User, ref: str) -> None:
    start(responder, ref)
    owner = browser(responder)
    reviewer = make_user("kai", "responder")
    assert "Submit for review" in page(owner, doc(ref))
    post(owner, doc(ref, "reviews/"), {"reviewers": [reviewer.username]})
    response = post(owner, doc(ref, "transition/"), {"to": "in_review"})
    assert "The retrospective is now: In review." in messages_on(response)
    # Publishing waits for the approval.
    html = page(owner, doc(ref))
    assert "A reviewer must approve the current version" in html
    refused = post(owner, doc(ref, "transition/"), {"to": "published"})
    assert any("must approve" in message for message in messages_on(refused))
    approved = post(
        browser(reviewer), doc(ref, "review/"), {"state": "approved", "comment": "Clear."}
    )
    assert "Thank you for the review." in messages_on(approved)
    assert "Clear." in approved.content.decode()
    published = post(owner, doc(ref, "transition/"), {"to": "published"})
    assert "The retrospective is now: Published." in messages_on(published)
    html = page(owner, doc(ref))
    assert "Reopen" in html
    assert f'href="/incidents/{ref}/retrospective/edit/"' not in html
    # The editor of a published document sends the writer back, saying why.
    blocked = owner.get(doc(ref, "edit/"), follow=True)
    assert any("reopen it" in message for message in messages_on(blocked))


def test_section_comments_are_added_and_resolved(responder: User, viewer: User, ref: str) -> None:
    start(responder, ref)
    reader = browser(viewer)
    response = post(reader, doc(ref, "comments/"), {"section": "root-cause", "text": "Why 5 whys?"})
    assert "Comment added." in messages_on(response)
    html = response.content.decode()
    assert "Why 5 whys?" in html
    comment_id = int(re.findall(r"/comments/(\d+)/resolve/", html)[0])
    resolved = post(
        browser(responder), doc(ref, f"comments/{comment_id}/resolve/"), {"resolved": "on"}
    )
    assert "Comment resolved." in messages_on(resolved)
    assert 'class="resolved"' in resolved.content.decode()


def test_a_viewer_reads_but_cannot_change(responder: User, viewer: User, ref: str) -> None:
    start(responder, ref)
    reader = browser(viewer)
    html = page(reader, doc(ref))
    assert "Submit for review" not in html
    assert ">Edit<" not in html
    assert reader.get(doc(ref, "edit/")).status_code == 403
    assert reader.post(doc(ref, "transition/"), {"to": "in_review"}).status_code == 403
    assert reader.post(doc(ref, "start/"), {"template": "postmortem"}).status_code == 403


def test_anonymous_people_are_sent_to_log_in(ref: str) -> None:
    response = browser().get(doc(ref))
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_the_commander_decides_whether_one_is_needed(
    responder: User, ref: str, responder_api: Api
) -> None:
    # rei is the incident commander (domain_support gives the role).
    client = browser(responder)
    response = post(client, doc(ref, "requirement/"), {"decision": "not_needed", "reason": ""})
    assert any("Say why" in message for message in messages_on(response))
    response = post(
        client, doc(ref, "requirement/"), {"decision": "not_needed", "reason": "A drill"}
    )
    assert "Recorded that no retrospective is needed." in messages_on(response)
    assert "A drill" in text_of(response.content.decode())
    response = post(client, doc(ref, "requirement/"), {"decision": "required", "due": "2026-12-20"})
    assert "A retrospective is now required." in messages_on(response)
    assert "2026-12-20" in response.content.decode()
    # Someone else than the commander may not decide.
    other = make_user("kai", "responder")
    refused = browser(other).post(doc(ref, "requirement/"), {"decision": "required"})
    assert refused.status_code == 403


def test_a_page_for_an_incident_without_one_offers_to_start(responder: User, ref: str) -> None:
    html = page(browser(responder), doc(ref))
    assert "Start retrospective" in html
    assert page(browser(responder), "/incidents/INC-999/retrospective/", status=404)
