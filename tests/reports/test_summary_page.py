"""/reports/: the Incident Summary Report page, read as a viewer in English."""

import re

import pytest
from django.test import Client

from kizuki.accounts.models import User
from tests.conftest import Api, MovableClock
from tests.reports.history import build

pytestmark = pytest.mark.django_db


def page_text(client: Client, query: str = "") -> str:
    response = client.get("/reports/" + query, headers={"Accept-Language": "en"})
    assert response.status_code == 200
    # Tags out, spaces squeezed: what a reader sees.
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.fixture
def reader(viewer: User, responder_api: Api, frozen_clock: MovableClock) -> Client:
    build(responder_api, frozen_clock)
    client = Client()
    client.force_login(viewer)
    return client


def test_the_page_shows_this_quarter_with_totals_and_breakdowns(reader: Client) -> None:
    text = page_text(reader)
    assert "2026-10-01 – 2026-12-31" in text  # the current quarter by default
    # MTTA: (5 + 15 + 1) / 3 = 7 min; MTTR: (60 + 180) / 2 = 2 h.
    assert "MTTA 7 min" in text
    assert "MTTR 2 h 00 min" in text
    assert "Previous period: 0" in text
    assert "Payments 2 " in text
    assert "Search 1 " in text
    assert "SEV2 2 " in text
    assert "SEV3 1 " in text
    assert "Required 2 Held 1 Late 1" in text
    assert "Payments 1 2 1 33%" in text
    assert "Left out: 1 drills, 1 false alarms." in text


def test_definitions_show_on_hover(reader: Client) -> None:
    html = reader.get("/reports/", headers={"Accept-Language": "en"}).content.decode()
    assert 'title="Time to acknowledge: from the first alert or the report' in html
    assert '<abbr title="MTTA: the mean time to acknowledge' in html


def test_filters_the_previous_quarter_and_the_csv(reader: Client) -> None:
    assert "Payments" not in page_text(reader, "?team=search").split("Follow-ups")[0]
    empty = page_text(reader, "?start=2026-07-01&end=2026-09-30")
    assert "No incident in this period." in empty
    response = reader.get("/reports/?start=2026-10-01&end=2026-12-31&format=csv")
    assert response["Content-Type"].startswith("text/csv")
    assert len(response.content.decode().strip().splitlines()) == 1 + 3


def test_a_bad_period_is_a_form_error_not_a_crash(reader: Client) -> None:
    text = page_text(reader, "?start=2026-12-01&end=2026-11-01")
    assert "The end of the period is before its start." in text
    assert "2026-10-01 – 2026-12-31" in text  # the default period meanwhile


def test_the_header_links_to_reports(reader: Client) -> None:
    html = reader.get("/", headers={"Accept-Language": "en"}).content.decode()
    assert 'href="/reports/"' in html
