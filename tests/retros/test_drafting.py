"""AI drafting talks to an OpenAI-compatible endpoint only when one is configured, sends the
section's title and guidance with the incident's facts in the reader's language, and turns
every failure into a message for the writer."""

from typing import Any

import pytest
from django.utils import translation

from kizuki.incidents import queries as incidents
from kizuki.incidents.models import Incident
from kizuki.retros import drafting
from kizuki.retros.drafting import DraftFailed
from tests.conftest import Api
from tests.incidents.support import incident_in
from tests.retros.llm_stub import StubLLM, llm

__all__ = ["llm"]

pytestmark = pytest.mark.django_db


@pytest.fixture
def incident(responder_api: Api) -> Incident:
    ref = incident_in(responder_api, "resolved", title="決済APIの遅延")
    responder_api.patch(f"/incidents/{ref}", {"customers_affected": "決済の一部（約1,200件）"})
    responder_api.post(f"/incidents/{ref}/timeline", {"text": "DBの接続数が上限に達していた"})
    responder_api.post(
        f"/incidents/{ref}/status-updates", {"text": "決済が遅延しています。調査中です。"}
    )
    return incidents.get_incident(ref)


def test_nothing_is_sent_when_no_endpoint_is_configured(incident: Incident, settings: Any) -> None:
    settings.KIZUKI_LLM_URL = ""
    assert not drafting.enabled()
    with translation.override("en"), pytest.raises(DraftFailed, match="not configured"):
        drafting.draft_section(incident, "Cause", "What broke")


def test_the_prompt_carries_the_section_and_the_incident_facts(
    incident: Incident, llm: StubLLM
) -> None:
    llm.answer = "  DBの接続枯渇により決済APIが遅延した。\n"
    with translation.override("ja"):
        text = drafting.draft_section(incident, "直接原因", "何が直接の引き金になったか")
    assert text == "DBの接続枯渇により決済APIが遅延した。"
    request = llm.last
    assert request["path"] == "/v1/chat/completions"
    assert request["headers"]["authorization"] == "Bearer sk-test-key"
    assert request["body"]["model"] == "stub-model"
    prompt = llm.prompt()
    for fact in (
        "直接原因",
        "何が直接の引き金になったか",
        "決済APIの遅延",
        "決済の一部（約1,200件）",
        "DBの接続数が上限に達していた",
        "決済が遅延しています。調査中です。",
    ):
        assert fact in prompt, fact


def test_the_prompt_is_in_the_readers_language(incident: Incident, llm: StubLLM) -> None:
    with translation.override("en"):
        drafting.draft_section(incident, "Direct cause", "What triggered it")
    english = llm.prompt()
    assert "Answer in English." in english
    assert "Guidance for this section: What triggered it" in english


@pytest.mark.parametrize(
    ("status", "message"),
    [(500, "HTTP 500"), (401, "HTTP 401"), (429, "HTTP 429")],
)
def test_an_error_from_the_endpoint_is_a_clear_message(
    incident: Incident, llm: StubLLM, status: int, message: str
) -> None:
    llm.status = status
    with translation.override("en"), pytest.raises(DraftFailed, match=message) as failure:
        drafting.draft_section(incident, "Cause", "")
    assert "Nothing was changed" in failure.value.detail
    assert len(llm.requests) == 1, "no retries: the writer is waiting"


def test_a_slow_endpoint_times_out_with_a_clear_message(
    incident: Incident, llm: StubLLM, settings: Any
) -> None:
    llm.hang = True
    settings.KIZUKI_LLM_TIMEOUT = 0.3
    with translation.override("en"), pytest.raises(DraftFailed, match="did not answer in time"):
        drafting.draft_section(incident, "Cause", "")


def test_an_unreachable_endpoint_is_a_clear_message(incident: Incident, settings: Any) -> None:
    settings.KIZUKI_LLM_URL = "http://127.0.0.1:9/v1"
    with translation.override("en"), pytest.raises(DraftFailed, match="could not be reached"):
        drafting.draft_section(incident, "Cause", "")


def test_an_empty_answer_is_refused(incident: Incident, llm: StubLLM) -> None:
    llm.answer = "   "
    with translation.override("en"), pytest.raises(DraftFailed, match="no text"):
        drafting.draft_section(incident, "Cause", "")
