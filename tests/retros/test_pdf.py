"""The PDF export: Japanese and English text come out as text (not missing glyphs), the page
renders, and it is downloaded from the retrospective's page."""

import io
from pathlib import Path

import pypdfium2  # type: ignore[import-untyped]
import pytest
from pypdf import PdfReader

from kizuki.accounts.models import User
from kizuki.incidents import queries as incidents
from kizuki.retros import queries
from kizuki.retros.pdf import to_pdf
from tests.conftest import Api, MovableClock
from tests.retros.domain_support import in_language, ok, resolved_incident, start
from tests.retros.web_support import browser

pytestmark = pytest.mark.django_db

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
JAPANESE = "決済APIで障害が発生し、約30分間の遅延が続いた。根本原因は接続プールの枯渇である。"
ENGLISH = "Connection pool exhausted after deploy 4521."
TABLE = "| 軸 | 影響 |\n|--|--|\n| 顧客 | 1,200件 |"


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def squeezed(text: str) -> str:
    return "".join(text.split())


@pytest.fixture
def ref(responder_api: Api, frozen_clock: MovableClock) -> str:
    ref = resolved_incident(responder_api, frozen_clock, title="決済APIの遅延")
    japanese = in_language(responder_api, "ja")
    start(japanese, ref, "incident-review")
    ok(
        japanese.patch(
            f"/incidents/{ref}/retrospective",
            {"sections": {"direct-cause": f"{JAPANESE}\n\n{ENGLISH}\n\n{TABLE}"}},
        )
    )
    return ref


def test_the_pdf_holds_the_japanese_and_english_text(ref: str) -> None:
    retro = queries.get_retrospective(incidents.get_incident(ref))
    data = to_pdf(retro)
    assert data.startswith(b"%PDF-")
    text = squeezed(pdf_text(data))
    assert squeezed(JAPANESE) in text
    assert squeezed(ENGLISH) in text
    assert squeezed("決済APIの遅延") in text  # the incident's title
    assert "原因と対応：直接的な原因" in text  # a section title, in the document's language
    assert "1,200件" in text


def test_the_first_page_renders_to_a_picture(ref: str) -> None:
    """Rendered to PNG under var/screenshots/ so a person can look at the Japanese."""
    retro = queries.get_retrospective(incidents.get_incident(ref))
    document = pypdfium2.PdfDocument(to_pdf(retro))
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for number in range(min(len(document), 2)):
        image = document[number].render(scale=1.4).to_pil()
        assert image.width > 700
        # Not a blank page: a fair share of the pixels carry ink.
        dark = image.convert("L").point(lambda value: 255 if value < 128 else 0).histogram()[255]
        assert dark > 2_000
        image.save(SCREENSHOTS / f"retrospective-pdf-page{number + 1}.png")
    document.close()


def test_the_pdf_is_downloaded_from_the_page(ref: str, viewer: User) -> None:
    response = browser(viewer).get(f"/incidents/{ref}/retrospective/export.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f'filename="{ref}-retrospective.pdf"' in response["Content-Disposition"]
    assert squeezed(JAPANESE) in squeezed(pdf_text(response.content))


def test_the_markdown_is_downloaded_from_the_page(ref: str, viewer: User) -> None:
    response = browser(viewer).get(f"/incidents/{ref}/retrospective/export.md")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    body = response.content.decode()
    assert JAPANESE in body
    assert "## 原因と対応：直接的な原因" in body


def test_exports_need_a_reader(ref: str) -> None:
    for suffix in ("export.pdf", "export.md"):
        response = browser().get(f"/incidents/{ref}/retrospective/{suffix}")
        assert response.status_code == 302
