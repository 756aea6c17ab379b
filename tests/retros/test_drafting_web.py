"""AI drafting from the editor: the button shows only when an endpoint is configured, a
proposal is shown and not saved, accepting keeps it marked as an AI draft until a person
edits it, discarding leaves nothing, and a failing endpoint is a message, not a change."""

from typing import Any

import pytest

from kizuki.accounts.models import User
from tests.conftest import Api, MovableClock
from tests.retros.domain_support import in_language, ok, resolved_incident, section, start
from tests.retros.llm_stub import StubLLM, llm
from tests.retros.web_support import browser, messages_on, page, post

__all__ = ["llm"]

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
PROPOSAL = "The pool of 20 connections ran out after deploy 4521."


@pytest.fixture
def ref(responder_api: Api, frozen_clock: MovableClock) -> str:
    ref = resolved_incident(responder_api, frozen_clock)
    start(in_language(responder_api, "en"), ref, "incident-review")
    return ref


def doc(ref: str, rest: str = "") -> str:
    return f"/incidents/{ref}/retrospective/{rest}"


def retro(api: Api, ref: str) -> dict[str, Any]:
    body: dict[str, Any] = ok(api.get(f"/incidents/{ref}/retrospective"))
    return body


def test_no_draft_button_and_nothing_sent_without_an_endpoint(
    responder: User, ref: str, settings: Any
) -> None:
    settings.KIZUKI_LLM_URL = ""
    assert "Draft with AI" not in page(browser(responder), doc(ref, "edit/"))
    response = browser(responder).post(doc(ref, "draft/direct-cause/"), headers=HTMX)
    assert "AI drafting is not configured" in response.content.decode()


def test_a_proposal_is_shown_with_the_sections_prompt_and_not_saved(
    responder: User, responder_api: Api, ref: str, llm: StubLLM
) -> None:
    llm.answer = PROPOSAL
    client = browser(responder)
    assert "Draft with AI" in page(client, doc(ref, "edit/"))
    before = retro(responder_api, ref)
    response = client.post(doc(ref, "draft/direct-cause/"), headers=HTMX)
    html = response.content.decode()
    assert PROPOSAL in html
    assert "AI draft" in html
    assert "Accept" in html
    assert "Discard" in html
    assert "Overview: damage" not in html, "htmx gets only the proposal"
    # The model was asked about this section, with the incident's facts.
    prompt = llm.prompt()
    assert "Overview: damage" not in prompt
    assert "Write the section “Cause and response: direct cause”" in prompt
    assert "The change, fault or operation that set it off." in prompt  # its guidance
    assert "About 1,200 shoppers could not pay" in prompt
    assert "Payments fail; rolling back" in prompt
    after = retro(responder_api, ref)
    assert after["version"] == before["version"], "asking saves nothing"


def test_without_javascript_the_editor_comes_back_with_the_typed_text_and_the_proposal(
    responder: User, ref: str, llm: StubLLM
) -> None:
    llm.answer = PROPOSAL
    response = browser(responder).post(
        doc(ref, "draft/direct-cause/"), {"section-root-cause": "typed, not saved yet"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "typed, not saved yet" in html
    assert PROPOSAL in html


def test_accepting_keeps_it_marked_until_a_person_edits_it(
    responder: User, responder_api: Api, ref: str, llm: StubLLM
) -> None:
    client = browser(responder)
    response = post(
        client,
        doc(ref, "draft/direct-cause/accept/"),
        {
            "proposal-direct-cause": PROPOSAL,
            "proposal-original-direct-cause": PROPOSAL,
            "section-root-cause": "Typed meanwhile",
        },
    )
    assert any("AI draft kept" in message for message in messages_on(response))
    body = retro(responder_api, ref)
    assert section(body, "direct-cause")["body"] == PROPOSAL
    assert section(body, "direct-cause")["drafted"] is True
    assert section(body, "root-cause")["body"] == "Typed meanwhile", "other edits are kept"
    html = page(client, doc(ref))
    assert "AI draft" in html
    # A person edits it: the mark goes.
    post(client, doc(ref, "edit/"), {"section-direct-cause": PROPOSAL + " Checked by rei."})
    assert section(retro(responder_api, ref), "direct-cause")["drafted"] is False


def test_a_proposal_edited_before_accepting_is_the_writers_text(
    responder: User, responder_api: Api, ref: str
) -> None:
    post(
        browser(responder),
        doc(ref, "draft/direct-cause/accept/"),
        {
            "proposal-direct-cause": PROPOSAL + " (verified)",
            "proposal-original-direct-cause": PROPOSAL,
        },
    )
    found = section(retro(responder_api, ref), "direct-cause")
    assert found["body"] == PROPOSAL + " (verified)"
    assert found["drafted"] is False


def test_discarding_leaves_nothing(responder: User, responder_api: Api, ref: str) -> None:
    before = retro(responder_api, ref)
    response = browser(responder).post(
        doc(ref, "draft/direct-cause/"), {"discard": "1"}, headers=HTMX
    )
    assert response.status_code == 200
    assert response.content.decode().strip() == ""
    assert retro(responder_api, ref) == before


def test_a_failing_endpoint_is_a_message_and_nothing_is_saved(
    responder: User, responder_api: Api, ref: str, llm: StubLLM
) -> None:
    llm.status = 503
    before = retro(responder_api, ref)
    response = browser(responder).post(doc(ref, "draft/direct-cause/"), headers=HTMX)
    assert "refused the request (HTTP 503)" in response.content.decode()
    no_script = post(browser(responder), doc(ref, "draft/direct-cause/"), {})
    assert any("HTTP 503" in message for message in messages_on(no_script))
    assert retro(responder_api, ref) == before


def test_drafting_needs_an_editor(viewer: User, ref: str, llm: StubLLM) -> None:
    response = browser(viewer).post(doc(ref, "draft/direct-cause/"), headers=HTMX)
    assert response.status_code == 403
    assert llm.requests == []


def test_an_unknown_section_is_404(responder: User, ref: str, llm: StubLLM) -> None:
    response = browser(responder).post(doc(ref, "draft/nope/"), headers=HTMX)
    assert response.status_code == 404
    assert llm.requests == []
