"""The internal status page (/status/ and GET /api/v1/status): what it shows and who reads it."""

import re
from html import unescape
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kizuki.accounts.models import User
from kizuki.catalog.models import Service
from tests.conftest import Api, MovableClock
from tests.incidents.support import english, incident_in, report
from tests.stakeholders.support import post_update, tell_stakeholders

pytestmark = pytest.mark.django_db


def browser(user: User | None = None) -> Client:
    client = Client(headers={"Accept-Language": "en"})
    if user is not None:
        client.force_login(user)
    return client


def section(html: str, testid: str) -> str:
    found = re.search(rf'data-testid="{testid}">(.*?)</section>', html, re.S)
    assert found, testid
    return found.group(1)


def titles(html: str) -> list[str]:
    """Incident headings in a section: 'INC-n title'."""
    headings = re.findall(r"<h3>(.*?)</h3>", html, re.S)
    return [" ".join(unescape(re.sub(r"<[^>]+>", "", h)).split()) for h in headings]


@pytest.fixture
def story(
    frozen_clock: MovableClock, api: Api, service: Service, search: Service
) -> dict[str, str]:
    """Incidents in every situation the page has to sort out, over nine days."""
    old = incident_in(api, "resolved", title="Old outage")  # resolved 9 days ago
    frozen_clock.advance(days=2)
    recent = report(api, "Login failures", severity=3, services=[search.slug])["number"]
    tell_stakeholders(api, recent, "IdP cert expired", plain_text="Some people cannot log in.")
    api.post(f"/incidents/{recent}/transitions", {"to": "resolved"})
    tell_stakeholders(api, recent, "Cert renewed", plain_text="Everyone can log in again.")
    frozen_clock.advance(days=6)
    closed = incident_in(api, "closed", title="Slow reports")
    false_alarm = incident_in(api, "false_alarm", title="Not a problem")
    drill = report(api, "Practice", severity=1, is_drill=True)["number"]
    tell_stakeholders(api, drill, "Practice update")
    quiet_report = report(api, "Maybe search is slow")["number"]
    told_report = report(api, "Maybe mail is late")["number"]
    tell_stakeholders(api, told_report, "Checking mail", plain_text="Some e-mails may be late.")
    sev2 = report(api, "Card payments time out", severity=2, services=[service.slug])["number"]
    frozen_clock.advance(minutes=5)
    tell_stakeholders(api, sev2, "pool exhausted", plain_text="Some card payments fail.")
    frozen_clock.advance(minutes=5)
    post_update(api, sev2, "INTERNAL: pg-primary failover at 10:20")
    sev4 = report(api, "Typo on the help page", severity=4)["number"]
    post_update(api, sev4, "INTERNAL: fix the template in help.html")
    return {
        "old": old,
        "recent": recent,
        "closed": closed,
        "false_alarm": false_alarm,
        "drill": drill,
        "quiet_report": quiet_report,
        "told_report": told_report,
        "sev2": sev2,
        "sev4": sev4,
    }


def test_the_page_shows_ongoing_and_recently_resolved_incidents(
    viewer: User, story: dict[str, str]
) -> None:
    html = browser(viewer).get("/status/").content.decode()

    ongoing = section(html, "ongoing")
    assert titles(ongoing) == [
        f"{story['sev2']} Card payments time out",
        f"{story['sev4']} Typo on the help page",
        f"{story['told_report']} Maybe mail is late",
    ]
    sev2 = ongoing.split("<article")[1]
    assert "We are investigating" in sev2
    assert "SEV2" in sev2
    assert 'data-testid="service">Checkout<' in sev2
    # The latest update for stakeholders, in plain words, at 10:05 in Tokyo; never an internal one.
    assert 'data-testid="stakeholder-update">Some card payments fail.<' in sev2
    assert 'data-testid="update-time">2026-12-03 10:05<' in sev2
    assert "pg-primary" not in html
    assert "help.html" not in html
    assert "pool exhausted" not in html
    assert "No update for stakeholders yet." in ongoing.split("<article")[2]

    resolved = section(html, "resolved")
    assert titles(resolved) == [
        f"{story['closed']} Slow reports",
        f"{story['recent']} Login failures",
    ]
    # Its final message, never what was said while it was going on.
    assert "Everyone can log in again." in resolved
    assert "Some people cannot log in." not in resolved
    assert "Resolved" in resolved
    for left_out in ("Old outage", "Not a problem", "Practice", "Maybe search is slow"):
        assert left_out not in html


def test_the_json_says_the_same(viewer_api: Api, story: dict[str, str]) -> None:
    body = english(viewer_api).get("/status").json()

    assert [i["number"] for i in body["ongoing"]] == [
        story["sev2"],
        story["sev4"],
        story["told_report"],
    ]
    assert [i["number"] for i in body["recently_resolved"]] == [story["closed"], story["recent"]]
    sev2 = body["ongoing"][0]
    assert sev2 | {"reported_at": ""} == {
        "number": story["sev2"],
        "title": "Card payments time out",
        "status": "declared",
        "status_text": "We are investigating",
        "severity": 2,
        "severity_label": sev2["severity_label"],
        "services": [{"slug": "checkout", "name": "Checkout"}],
        "reported_at": "",
        "resolved_at": None,
        "latest_update": {"text": "Some card payments fail.", "created_at": "2026-12-03T01:05:00Z"},
    }
    assert body["ongoing"][1]["latest_update"] is None  # its only update is internal
    assert body["generated_at"] == "2026-12-03T01:10:00Z"


def test_nothing_ongoing_says_so(viewer: User) -> None:
    html = browser(viewer).get("/status/").content.decode()
    assert "No ongoing incidents: everything is working normally." in html
    assert "Nothing resolved in the last 7 days." in html


def test_the_header_links_to_the_status_page(viewer: User) -> None:
    html = browser(viewer).get("/").content.decode()
    assert '<a href="/status/">Status page</a>' in html


def test_incidents_link_to_their_page_for_logged_in_readers_only(
    viewer: User, sev2: str, settings: Any
) -> None:
    assert f'href="/incidents/{sev2}/"' in browser(viewer).get("/status/").content.decode()
    settings.KIZUKI_STATUS_PAGE_PUBLIC = True
    assert f'href="/incidents/{sev2}/"' not in browser().get("/status/").content.decode()


def test_anonymous_visitors_log_in_unless_the_page_is_public(
    sev2: str, anonymous_api: Api, settings: Any
) -> None:
    response = browser().get("/status/")
    assert (response.status_code, response["Location"]) == (302, "/login/?next=/status/")
    assert anonymous_api.get("/status").status_code == 401

    settings.KIZUKI_STATUS_PAGE_PUBLIC = True
    response = browser().get("/status/")
    assert response.status_code == 200
    assert "Card payments time out" in response.content.decode()
    assert [i["number"] for i in anonymous_api.get("/status").json()["ongoing"]] == [sev2]


def test_the_page_costs_the_same_queries_however_many_incidents(
    viewer: User, api: Api, service: Service, search: Service
) -> None:
    def queries_for_page() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert browser(viewer).get("/status/").status_code == 200
        return len(captured)

    # One ongoing and one resolved, then three more of either kind with two services each.
    for title in ("First", "Done"):
        ref = report(api, title, severity=2, services=[service.slug])["number"]
        tell_stakeholders(api, ref, "One")
    api.post(f"/incidents/{ref}/transitions", {"to": "resolved"})
    one = queries_for_page()
    for title in ("Second", "Third", "Fourth"):
        ref = report(api, title, severity=3, services=[service.slug, search.slug])["number"]
        tell_stakeholders(api, ref, "Many")
        if title != "Second":
            api.post(f"/incidents/{ref}/transitions", {"to": "resolved"})
    assert queries_for_page() == one
