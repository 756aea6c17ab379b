"""A major incident's regulator reports, clicked through in real Chromium in Japanese and in
English: the initial report (第一報), the interim and the final report are drafted from the
incident's page, one is edited before exporting, the PDF and the Word file are downloaded
from the page, each submission is recorded, and the incident's page lists the three stages
with their submission times. The exported PDF is rendered to PNG (pypdfium2) beside the
screenshots (375 px and 1280 px) in var/screenshots/."""

import io
import zipfile
from pathlib import Path
from zoneinfo import ZoneInfo

import pypdfium2 as pdfium  # type: ignore[import-untyped]
import pytest
from playwright.sync_api import Page, expect

from kizuki.accounts import actions as accounts
from kizuki.accounts.models import User
from tests.browser.conftest import in_, log_in, shoot
from tests.conftest import Api, MovableClock
from tests.retros.domain_support import in_language, resolved_incident

pytestmark = pytest.mark.browser

EDITED = {
    "ja": "決済APIが45分間つながらず、約1,200人のお客さまが購入できなかった。",
    "en": "The payment API was unreachable for 45 minutes; about 1,200 shoppers could not pay.",
}
TOKYO = ZoneInfo("Asia/Tokyo")  # the people's default time zone
STAGES = ["Initial report", "Interim report", "Final report"]


def _download(page: Page, link: str, folder: Path, name: str) -> bytes:
    with page.expect_download() as caught:
        page.get_by_role("link", name=link, exact=True).click()
    target = folder / name
    caught.value.save_as(target)
    return target.read_bytes()


def _pdf_to_png(data: bytes, target: Path) -> str:
    """The first page as a PNG (for a person to look at) and the document's text."""
    document = pdfium.PdfDocument(data)
    document[0].render(scale=1.5).to_pil().save(target)
    return "".join(page.get_textpage().get_text_range() for page in document)


@pytest.mark.parametrize("language", ["ja", "en"])
def test_three_stages_drafted_edited_exported_and_submitted(
    page: Page,
    responder: User,
    responder_api: Api,
    frozen_clock: MovableClock,
    screenshots: Path,
    tmp_path: Path,
    language: str,
) -> None:
    t = in_(language)
    accounts.set_language(responder, language)
    ref = resolved_incident(
        in_language(responder_api, language), frozen_clock, severity=1, title="決済APIの停止"
    )
    log_in(page, responder)
    page.goto(f"/incidents/{ref}/")
    expect(page.locator("html")).to_have_attribute("lang", language)
    panel = page.get_by_test_id("regulatory-panel")
    expect(panel).to_contain_text(t("Regulator reports"))

    submitted: dict[str, str] = {}
    for number, stage in enumerate(STAGES):
        page.goto(f"/incidents/{ref}/")
        label = t(stage)
        panel.get_by_role("button", name=t("Prepare %(label)s") % {"label": label}).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(label)
        expect(page.get_by_role("status")).to_contain_text(
            t("Drafted from the incident: check each section before exporting.")
        )
        form = page.get_by_test_id("regulatory-form")
        expect(form.get_by_label(t("What happened"))).to_contain_text("決済APIの停止")
        if number == 0:
            # The first report is corrected before anything leaves the building.
            form.get_by_label(t("What happened")).fill(EDITED[language])
            form.get_by_role("button", name=t("Save as new version")).click()
            expect(page.get_by_role("status")).to_contain_text(t("Saved as a new version."))
            versions = page.get_by_test_id("regulatory-versions")
            expect(versions.locator("li")).to_have_count(2)
            shoot(page, screenshots, f"regulatory-initial-{language}")
            pdf = _download(page, "PDF", tmp_path, "initial.pdf")
            assert pdf.startswith(b"%PDF")
            text = _pdf_to_png(pdf, screenshots / f"regulatory-initial-pdf-{language}.png")
            assert EDITED[language][:20] in text.replace("\r", "").replace("\n", "")
            word = _download(page, t("Word"), tmp_path, "initial.docx")
            with zipfile.ZipFile(io.BytesIO(word)) as docx:
                assert EDITED[language][:20] in docx.read("word/document.xml").decode()
        frozen_clock.advance(hours=2)
        page.get_by_role("button", name=t("Record submission now")).click()
        expect(page.get_by_role("status")).to_contain_text(
            t("Submission to the regulator recorded.")
        )
        submitted[stage] = frozen_clock.now.astimezone(TOKYO).strftime("%Y-%m-%d %H:%M")
        expect(page.get_by_test_id("regulatory-submission")).to_contain_text(submitted[stage])

    # The incident's page lists the three stages, each with the time it was submitted.
    page.goto(f"/incidents/{ref}/")
    for key, stage in zip(("initial", "interim", "final"), STAGES, strict=True):
        item = panel.get_by_test_id(f"regulatory-{key}")
        expect(item.get_by_role("link", name=t(stage))).to_be_visible()
        expect(item).to_contain_text(submitted[stage])
    panel.scroll_into_view_if_needed()
    shoot(page, screenshots, f"regulatory-panel-{language}")
