"""A regulator-ready report as PDF (WeasyPrint, Japanese set in Noto Sans CJK JP as the
retrospective's PDF is) and as a Word-compatible .docx (python-docx). Both show the latest
version; nothing is fetched while rendering."""

import io

from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from docx import Document
from weasyprint import HTML  # type: ignore[import-untyped]
from weasyprint.urls import URLFetcher  # type: ignore[import-untyped]

from kizuki.core import clock
from kizuki.reports import regulatory_queries as queries
from kizuki.reports.models import SECTIONS, RegulatoryReport, RegulatoryReportVersion


def titled_sections(version: RegulatoryReportVersion) -> list[tuple[str, str]]:
    """(title in the reader's language, text) for every section, in order."""
    return [(str(title), version.sections.get(key, "")) for key, title in SECTIONS]


def export_context(report: RegulatoryReport) -> dict[str, object]:
    version = queries.latest(report)
    return {
        "report": report,
        "incident": report.incident,
        "version": version,
        "sections": titled_sections(version),
        "generated_at": clock.now(),
    }


def title_of(report: RegulatoryReport) -> str:
    return f"{report.get_stage_display()}: {report.incident.ref} {report.incident.title}"


def to_pdf(report: RegulatoryReport) -> bytes:
    html = render_to_string("reports/regulatory_pdf.html", export_context(report))
    document = HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=set()))
    pdf: bytes = document.write_pdf()
    return pdf


def to_docx(report: RegulatoryReport) -> bytes:
    version = queries.latest(report)
    document = Document()
    document.add_heading(title_of(report), level=1)
    facts = [
        (_("Version"), str(version.number)),
        (
            _("Submitted at"),
            report.submitted_at.strftime("%Y-%m-%d %H:%M UTC") if report.submitted_at else "-",
        ),
    ]
    for label, value in facts:
        document.add_paragraph(f"{label}: {value}")
    for title, text in titled_sections(version):
        document.add_heading(title, level=2)
        for paragraph in (text or "-").split("\n"):
            document.add_paragraph(paragraph)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
