"""The report's charts and downloads, on the known history (tests/reports/history.py): the
detect / assign / recover split with answers computed by hand, the charts as valid titled
SVG with one bar per team, and the PDF, HTML and CSV downloads of the page."""

import io
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

import pypdf
import pytest
from django.core.cache import cache
from django.test import Client

from kizuki.accounts.models import User
from kizuki.incidents import actions as incidents
from kizuki.reports import charts
from tests.conftest import Api, MovableClock
from tests.reports.history import PERIOD, TTR, build
from tests.retros.domain_support import ok

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"
QUERY = f"?start={PERIOD[0]}&end={PERIOD[1]}"


@pytest.fixture
def reader(viewer: User, responder_api: Api, frozen_clock: MovableClock) -> Client:
    build(responder_api, frozen_clock)
    client = Client()
    client.force_login(viewer)
    return client


def page(client: Client, language: str = "en", query: str = QUERY) -> str:
    response = client.get("/reports/" + query, headers={"Accept-Language": language})
    assert response.status_code == 200
    return str(response.content.decode())


def svgs(html: str) -> dict[str, ET.Element]:
    """Each chart's inline SVG, parsed as XML (it must be valid), by the figure's test id."""
    found = re.findall(r'data-testid="chart-([\w-]+)">.*?(<svg .*?</svg>)', html, re.S)
    return {key: ET.fromstring(svg) for key, svg in found}  # noqa: S314 -- our own output


def test_the_split_of_the_downtime(reader: Client, viewer_api: Api) -> None:
    body = ok(viewer_api.get("/reports/summary", **{"from": PERIOD[0], "to": PERIOD[1]}))
    phases = body["phases"]
    # A: acknowledged at 5 min, commander at 10, resolved at 60 → 5 + 5 + 50 min.
    # B: acknowledged at 15 min, no commander, resolved at 3 h → 15 + (none) + 165 min.
    # C: acknowledged at 1 min, still open → 1 + (none) + (none).
    assert phases["detect"] == {"count": 3, "mean": 7 * 60.0, "median": 300.0, "p90": 900.0}
    assert phases["assign"] == {"count": 1, "mean": 300.0, "median": 300.0, "p90": 300.0}
    assert phases["recover"]["count"] == 2
    assert phases["recover"]["mean"] == pytest.approx((50 + 165) * 60 / 2)
    assert phases["recover"]["p90"] == 165 * 60
    # Where every phase is there, they add up to the time to resolve.
    assert TTR["A"] == 5 * 60 + 5 * 60 + 50 * 60


def test_a_commander_before_the_acknowledgement_assigns_in_zero(
    responder_api: Api, viewer_api: Api, frozen_clock: MovableClock
) -> None:
    actor = responder_api.user
    assert actor is not None
    incident = incidents.report_incident(actor, "Queue stuck", page_on_call=False)
    frozen_clock.advance(minutes=2)
    incidents.assign_role(actor, incident, "incident_commander", actor)
    frozen_clock.advance(minutes=3)
    incident = incidents.transition(actor, incident, "acknowledged")
    incident = incidents.transition(actor, incident, "declared", severity=2)
    frozen_clock.advance(minutes=15)
    incidents.transition(actor, incident, "resolved")
    phases = ok(viewer_api.get("/reports/summary"))["phases"]
    assert [phases[name]["mean"] for name in ("detect", "assign", "recover")] == [
        5 * 60,
        0,
        15 * 60,
    ]


def test_the_page_shows_the_split_with_definitions(reader: Client) -> None:
    html = page(reader)
    assert 'title="Assign: from the acknowledgement to the first incident commander' in html
    row = re.search(r'data-testid="phase-recover">(.*?)</tr>', html, re.S)
    assert row is not None
    assert re.sub(r"<[^>]+>", " ", row.group(1)).split() == [
        "Recover", "2", "1", "h", "47", "min", "1", "h", "47", "min", "2", "h", "45", "min"
    ]  # fmt: skip


def test_charts_are_titled_svg_with_one_bar_per_team(reader: Client) -> None:
    charts = svgs(page(reader))
    assert set(charts) >= {"by-team", "by-severity", "trend", "phases-by-team"}
    by_team = charts["by-team"]
    assert by_team.get("role") == "img"
    title = by_team.find(f"{SVG}title")
    assert title is not None
    assert title.text == "Incidents by team"
    bars = [g for g in by_team.iter(f"{SVG}g") if re.fullmatch(r"by-team-bar-\d+", g.get("id", ""))]
    assert len(bars) == 2  # Payments and Search
    # Text is drawn as paths (no font needed to read it); each glyph run is named in a comment.
    html = page(reader)
    svg_text = html.split('data-testid="chart-by-team"')[1].split("</svg>")[0]
    assert "<text" not in svg_text
    assert "<!-- Payments -->" in svg_text
    # The same numbers in a table beside it.
    table = html.split('data-testid="chart-by-team"')[1].split("</figure>")[0]
    assert re.search(r"<th scope=\"row\">Payments</th><td>2</td>", table)
    # Every chart's ids are its own, so several share a page.
    ids = re.findall(r' id="([^"]+)"', "".join(re.findall(r"<svg .*?</svg>", html, re.S)))
    assert len(ids) == len(set(ids))


def test_charts_are_in_the_reader_language_and_deterministic(reader: Client) -> None:
    first, again = page(reader, "ja"), page(reader, "ja")
    by_team = first.split('data-testid="chart-by-team"')[1].split("</svg>")[0]
    assert "<!-- インシデント -->" in by_team  # the axis, drawn in Japanese
    assert "<!-- Incidents -->" not in by_team
    assert re.findall(r"<svg .*?</svg>", first, re.S) == re.findall(r"<svg .*?</svg>", again, re.S)


def test_no_charts_without_incidents(reader: Client) -> None:
    html = page(reader, query="?start=2026-07-01&end=2026-09-30")
    assert 'data-testid="report-charts"' not in html


def test_the_pdf_download_in_japanese_and_english(reader: Client) -> None:
    html = page(reader, "ja")
    link = re.search(r'href="([^"]+)" download data-testid="download-pdf"', html)
    assert link is not None
    url = link.group(1).replace("&amp;", "&")
    response = reader.get(url, headers={"Accept-Language": "ja"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert (
        'filename="incident-summary-2026-10-01-2026-12-31.pdf"' in response["Content-Disposition"]
    )
    text = "".join(
        page.extract_text() for page in pypdf.PdfReader(io.BytesIO(response.content)).pages
    )
    assert "インシデントサマリーレポート" in text
    assert "中央値" in text  # the tables' headers
    english = reader.get(url, headers={"Accept-Language": "en"})
    pages = pypdf.PdfReader(io.BytesIO(english.content)).pages
    assert "Incident Summary Report" in "".join(page.extract_text() for page in pages)


def test_the_html_download_is_self_contained_with_its_charts(reader: Client) -> None:
    response = reader.get(
        "/reports/summary.html" + QUERY + "&team=payments", headers={"Accept-Language": "en"}
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.html"')
    html = response.content.decode()
    assert html.startswith("<!DOCTYPE html>")
    assert not re.search(r"<link|<script|src=\"http|url\(http", html)
    charts = svgs(html)
    assert "by-team" in charts
    bars = [
        g for g in charts["by-team"].iter(f"{SVG}g") if g.get("id", "").startswith("by-team-bar")
    ]
    assert len(bars) == 1  # only payments


def test_the_csv_download_matches_the_page_filters(reader: Client) -> None:
    response = reader.get("/reports/summary.csv" + QUERY + "&team=search")
    assert response["Content-Type"].startswith("text/csv")
    assert len(response.content.decode().strip().splitlines()) == 1 + 1


def test_bad_downloads_are_refused(reader: Client) -> None:
    response = reader.get(
        "/reports/summary.pdf?start=2026-12-01&end=2026-11-01", headers={"Accept-Language": "en"}
    )
    assert response.status_code == 400
    assert "before its start" in response.content.decode()
    assert reader.get("/reports/summary.docx").status_code == 404
    assert Client().get("/reports/summary.pdf").status_code == 302  # sign in first


def test_matplotlib_is_not_imported_at_start_up() -> None:
    code = (
        "import django, sys; django.setup(); import kizuki.config.urls;"
        "print('matplotlib' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "kizuki.config.settings"},
    )
    assert done.stdout.strip() == "False"


def test_the_same_numbers_are_drawn_once(reader: Client) -> None:
    """Drawing takes about 0.1 s a chart: the second load of the same report takes every
    chart from the cache, the same bytes; another language draws its own."""
    cache.clear()
    first = page(reader)
    drawn = dict(charts.DRAWN)
    again = page(reader)
    assert drawn == charts.DRAWN
    assert re.findall(r"<svg .*?</svg>", first, re.S) == re.findall(r"<svg .*?</svg>", again, re.S)
    page(reader, "ja")
    assert sum(charts.DRAWN.values()) == sum(drawn.values()) + len(svgs(first))
