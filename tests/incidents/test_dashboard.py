"""The dashboard, as a responder and as a viewer reads it: firing alerts, who is on call, my
roles, untriaged reports first, open incidents with their commander, elapsed time and the next
update due; one page of rows however many are open; the poll refreshes all of it."""

import re

import pytest
from django.test import Client

from kizuki.accounts.models import User
from kizuki.catalog.models import Service
from tests.alerts.support import accepted, alertmanager, am_alert, integration
from tests.conftest import Api, MovableClock
from tests.incidents.support import incident_in, move, report
from tests.incidents.test_views import browser, groups
from tests.schedules.support import create, layer

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def text(html: str) -> str:
    """The page's words without tags, spaces folded, to read like a person would."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def row_of(html: str, ref: str) -> str:
    """The words of the table row that links to `ref`."""
    for row in re.findall(r"<tr>.*?</tr>", html, re.S):
        if f">{ref}</a>" in row:
            return text(row).strip()
    raise AssertionError(f"{ref} has no row")


def test_a_responder_sees_alerts_on_call_their_roles_and_the_open_incidents(
    responder: User,
    responder_api: Api,
    admin_api: Api,
    service: Service,
    frozen_clock: MovableClock,
) -> None:
    path = integration(admin_api, service.pk, "alertmanager")[1]
    accepted(path, alertmanager(am_alert("fp-1", summary="Checkout 5xx above 5%")))
    create(admin_api, [layer(["rei"])], name="Payments primary")
    led = incident_in(responder_api, "declared", title="Checkout fails")
    responder_api.post(f"/incidents/{led}/roles", {"role": "incident_commander", "user": "rei"})
    untriaged = report(responder_api, "Odd numbers on the report")["number"]

    html = Client(headers={"Accept-Language": "en"})
    html.force_login(responder)
    words = text(html.get("/").text)

    assert "Firing alerts 1" in words
    assert "Checkout 5xx above 5%" in words
    assert "On call now" in words
    assert "Payments primary : rei" in words
    assert f"My roles 1 {led} SEV3 Checkout fails · Incident Commander" in words
    assert groups(html.get("/").text) == {
        "My roles": [led],
        "Untriaged reports": [untriaged],
        "Open incidents": [led],
    }
    assert words.index("Untriaged reports") < words.index("Open incidents")
    assert "2 open" in words
    assert "1 untriaged" in words


def test_rows_show_the_commander_the_elapsed_time_and_when_the_next_update_is_due(
    responder: User, responder_api: Api, frozen_clock: MovableClock
) -> None:
    led = incident_in(responder_api, "declared", title="Checkout fails")
    responder_api.post(f"/incidents/{led}/roles", {"role": "incident_commander", "user": "rei"})
    leaderless = incident_in(responder_api, "acknowledged", title="Maybe slow logins")
    client = browser(responder)

    frozen_clock.advance(minutes=20)
    html = client.get("/").text
    # SEV3 asks for an update every 60 minutes after declaring.
    assert row_of(html, led).endswith("rei 20 min in 40 min")
    assert "nobody yet" in row_of(html, leaderless)
    assert row_of(html, leaderless).endswith("20 min –")

    frozen_clock.advance(minutes=40)
    assert row_of(client.get("/").text, led).endswith("rei 1 h 00 min due now")

    frozen_clock.advance(minutes=25)
    overdue = client.get("/").text
    assert row_of(overdue, led).endswith("1 h 25 min overdue by 25 min")
    assert 'class="overdue"' in overdue

    promised = frozen_clock.advance(minutes=0).replace(hour=4, minute=0).isoformat()
    responder_api.post(
        f"/incidents/{led}/status-updates", {"text": "Failing over", "next_update_at": promised}
    )
    assert row_of(client.get("/").text, led).endswith("in 1 h 35 min")

    frozen_clock.advance(days=1)
    assert row_of(client.get("/").text, led).startswith(
        f"{led} SEV3 Declared Checkout fails rei 1 d 1 h"
    )


def test_a_viewer_sees_what_is_going_on_and_how_to_report_but_no_responder_parts(
    viewer: User, responder_api: Api, admin_api: Api, service: Service
) -> None:
    path = integration(admin_api, service.pk, "alertmanager")[1]
    accepted(path, alertmanager(am_alert("fp-1", summary="Checkout 5xx above 5%")))
    declared = incident_in(responder_api, "declared", title="Checkout fails")

    html = browser(viewer).get("/").text
    words = text(html)

    assert "Something looks wrong?" in words
    assert 'class="button report" href="/report/"' in html
    assert groups(html) == {"Open incidents": [declared]}
    for hidden in ("Firing alerts", "Checkout 5xx", "On call now", "My roles"):
        assert hidden not in words


def test_many_open_incidents_come_one_page_at_a_time_with_counts_for_all(
    responder: User, responder_api: Api
) -> None:
    for n in range(27):
        incident_in(responder_api, "acknowledged", title=f"Slow page {n}")
    for n in range(12):
        report(responder_api, f"Odd report {n}")
    client = browser(responder)

    first = client.get("/").text
    found = groups(first)
    assert len(found["Open incidents"]) == 25
    assert len(found["Untriaged reports"]) == 10
    words = text(first)
    assert "Open incidents 27" in words
    assert "Untriaged reports 12" in words
    assert "See all 12 untriaged reports" in words
    assert "39 open" in words
    assert "Page 1 of 2" in words

    second = client.get("/", {"page": 2}).text
    assert len(groups(second)["Open incidents"]) == 2
    assert set(groups(second)["Open incidents"]).isdisjoint(found["Open incidents"])
    # The poll keeps the page being read.
    assert 'hx-get="/?page=2"' in second
    live = client.get("/", {"page": 2}, headers=HTMX).text
    assert live.lstrip().startswith('<div id="open-incidents"')
    assert len(groups(live)["Open incidents"]) == 2


def test_the_poll_refreshes_the_alerts_and_roles_too(
    responder: User, responder_api: Api, admin_api: Api, service: Service
) -> None:
    client = browser(responder)
    before = text(client.get("/", headers=HTMX).text)
    assert "Nothing is firing." in before
    assert "You hold no role on an open incident." in before

    path = integration(admin_api, service.pk, "alertmanager")[1]
    accepted(path, alertmanager(am_alert("fp-1", summary="Checkout 5xx above 5%")))
    ref = incident_in(responder_api, "declared", title="Checkout fails")
    responder_api.post(f"/incidents/{ref}/roles", {"role": "communications_lead", "user": "rei"})

    after = client.get("/", headers=HTMX).text
    assert "<html" not in after
    assert "Checkout 5xx above 5%" in after
    assert f"{ref}</a>" in after
    assert "Nothing is firing." not in after


def test_a_page_number_that_is_not_one_shows_the_last_page_not_an_error(
    responder: User, responder_api: Api
) -> None:
    ref = incident_in(responder_api, "acknowledged", title="Slow page")
    for asked in ("9", "abc", "-1"):
        response = browser(responder).get("/", {"page": asked})
        assert response.status_code == 200
        assert groups(response.text)["Open incidents"] == [ref]


def test_finished_incidents_leave_the_dashboard(responder: User, responder_api: Api) -> None:
    ref = incident_in(responder_api, "declared", title="Checkout fails")
    assert move(responder_api, ref, "mitigated").status_code == 200
    assert move(responder_api, ref, "resolved").status_code == 200

    words = text(browser(responder).get("/").text)
    assert "No open incidents." in words
    assert "0 open" in words
