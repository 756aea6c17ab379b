"""The retrospective as a PDF (WeasyPrint), for people who read it away from Kizuki.

The HTML comes from `retros/pdf.html` with each section's Markdown rendered safely; Japanese is
set in Noto Sans CJK JP (Debian's `fonts-noto-cjk`). Nothing is fetched while rendering: images
in the text are links already (core.markdown), and the URL fetcher refuses every address. The
summary for stakeholders is not part of this internal document."""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from weasyprint import HTML  # type: ignore[import-untyped]
from weasyprint.urls import URLFetcher  # type: ignore[import-untyped]

from kizuki.core import clock
from kizuki.core.markdown import render_markdown
from kizuki.retros import queries
from kizuki.retros.models import Retrospective


def pdf_context(retro: Retrospective) -> dict[str, object]:
    incident = retro.incident
    return {
        "retro": retro,
        "incident": incident,
        "services": list(incident.services.all()),
        "sections": [
            (section, render_markdown(section.body)) for section in queries.sections(retro)
        ],
        "url": settings.KIZUKI_BASE_URL + reverse("retro-detail", kwargs={"ref": incident.ref}),
        "generated_at": clock.now(),
    }


def to_html(retro: Retrospective) -> str:
    return render_to_string("retros/pdf.html", pdf_context(retro))


def to_pdf(retro: Retrospective) -> bytes:
    """The retrospective as PDF bytes, labelled in the document's language (as the Markdown
    export is), since its section titles are in that language."""
    with translation.override(retro.language or translation.get_language()):
        html = to_html(retro)
    document = HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=set()))
    pdf: bytes = document.write_pdf()
    return pdf
