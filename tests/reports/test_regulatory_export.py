"""The exports a regulator receives: a PDF whose Japanese comes out as text (not missing
glyphs) and a Word document that python-docx opens, both downloaded from the report's page,
with the latest version's sections."""

import io
from typing import Any

import pytest
from docx import Document
from pypdf import PdfReader

from tests.conftest import Api, MovableClock
from tests.retros.domain_support import in_language, ok, resolved_incident
from tests.retros.web_support import browser

pytestmark = pytest.mark.django_db

TITLE = "決済APIの遅延"
CAUSE = "接続プールの枯渇により、決済の約3割が失敗した。"


def squeezed(text: str) -> str:
    return "".join(text.split())


@pytest.fixture
def report(responder_api: Api, frozen_clock: MovableClock) -> dict[str, Any]:
    japanese = in_language(responder_api, "ja")
    ref = resolved_incident(japanese, frozen_clock, title=TITLE)
    created = ok(japanese.post(f"/incidents/{ref}/regulatory-reports", {"stage": "initial"}), 201)
    edited: dict[str, Any] = ok(
        japanese.patch(f"/regulatory-reports/{created['id']}", {"sections": {"cause": CAUSE}})
    )
    return edited


def test_the_pdf_holds_the_japanese_title_and_sections(
    responder: Any, report: dict[str, Any]
) -> None:
    response = browser(responder, "ja").get(f"/regulatory/{report['id']}.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    data = response.content
    assert data.startswith(b"%PDF-")
    text = squeezed("\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(data)).pages))
    assert squeezed(TITLE) in text
    assert squeezed(CAUSE) in text
    assert "About1,200shopperscouldnotpay" in text  # the impact, from the incident


def test_the_word_document_opens_and_holds_every_section(
    responder: Any, report: dict[str, Any]
) -> None:
    response = browser(responder, "en").get(f"/regulatory/{report['id']}.docx")
    assert response.status_code == 200
    assert 'filename="INC-' in response["Content-Disposition"]
    document = Document(io.BytesIO(response.content))
    paragraphs = [p.text for p in document.paragraphs]
    assert any(TITLE in p for p in paragraphs)
    for heading in ("What happened", "When it was detected", "Cause", "Prevention"):
        assert heading in paragraphs
    assert CAUSE in paragraphs
    assert "Version: 2" in paragraphs


def test_exports_need_a_reader(report: dict[str, Any]) -> None:
    response = browser(None).get(f"/regulatory/{report['id']}.pdf")
    assert response.status_code == 302  # to the login page
