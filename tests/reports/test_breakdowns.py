"""Breakdowns by service and by cause, the cause filter and the top recurring causes
(issue 13), through the API, the CSV, the CLI and the page, on the known history of
history.py with causes and services added:

- A (payments, SEV2): services Checkout and Ledger, cause capacity.
- B (payments, SEV3): service Search, cause capacity.
- C (search, SEV2): no service, not classified.
- the drill: cause capacity, but drills are left out.
- the quarter before: two incidents, capacity and change (one each)."""

import csv
import io
import json
import re
import statistics
from datetime import UTC, datetime
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kizuki.accounts.models import Team, User
from kizuki.catalog import actions as catalog
from kizuki.incidents import actions as incidents
from kizuki.incidents.models import CauseCategory, Incident
from tests.conftest import Api, MovableClock
from tests.incidents.support import english
from tests.reports.history import PERIOD, TTA, TTR, History, build
from tests.retros.domain_support import ok

pytestmark = pytest.mark.django_db

QUARTER = {"from": PERIOD[0], "to": PERIOD[1]}


def _cause(slug: str) -> CauseCategory:
    return CauseCategory.objects.get(slug=slug)


def _build(api: Api, clock: MovableClock) -> History:
    actor = api.user
    assert actor is not None
    found = build(api, clock)
    payments = Team.objects.get(slug="payments")
    search_team = Team.objects.get(slug="search")
    checkout = catalog.create_service("checkout", "Checkout", payments)
    ledger = catalog.create_service("ledger", "Ledger", payments)
    search = catalog.create_service("search", "Search", search_team)
    capacity = _cause("capacity")
    incidents.update_incident(
        actor, found.a, {"services": [checkout, ledger], "cause_category": capacity}
    )
    incidents.update_incident(actor, found.b, {"services": [search], "cause_category": capacity})
    drill = Incident.objects.get(title="Game day")
    incidents.update_incident(actor, drill, {"cause_category": capacity})
    # The quarter before (2026-07-01 to 2026-09-30).
    now = clock.now
    clock.now = datetime(2026, 8, 3, 1, 0, tzinfo=UTC)
    clock.advance()
    for cause in ("capacity", "change"):
        earlier = incidents.report_incident(actor, f"Earlier {cause}", page_on_call=False)
        incidents.update_incident(actor, earlier, {"cause_category": _cause(cause)})
    clock.now = now
    clock.advance()
    return found


@pytest.fixture
def history(responder_api: Api, frozen_clock: MovableClock) -> History:
    return _build(responder_api, frozen_clock)


def summary(api: Api, **params: str) -> dict[str, Any]:
    body: dict[str, Any] = ok(english(api).get("/reports/summary", **params))
    return body


def test_by_cause_counts_each_incident_under_its_cause_unclassified_last(
    history: History, viewer_api: Api
) -> None:
    body = summary(viewer_api, **QUARTER)

    rows = [(g["key"], g["label"], g["incidents"]) for g in body["by_cause"]]
    assert rows == [("capacity", "Capacity or load", 2), ("", "", 1)]
    capacity = body["by_cause"][0]
    assert capacity["mtta_seconds"] == pytest.approx(statistics.fmean([TTA["A"], TTA["B"]]))
    assert capacity["mttr_seconds"] == pytest.approx(statistics.fmean([TTR["A"], TTR["B"]]))
    assert capacity["tta"]["count"] == 2
    assert set(capacity) == set(body["by_team"][0])  # the same shape as by_team


def test_by_cause_labels_are_in_the_readers_language(history: History, viewer_api: Api) -> None:
    body: dict[str, Any] = ok(viewer_api.get("/reports/summary", **QUARTER))  # Japanese
    assert body["by_cause"][0]["label"] == "容量・負荷"


def test_by_service_counts_an_incident_under_each_of_its_services(
    history: History, viewer_api: Api
) -> None:
    body = summary(viewer_api, **QUARTER)

    rows = [(g["key"], g["label"], g["incidents"]) for g in body["by_service"]]
    # A counts under Checkout and Ledger; C has no service: empty key, last.
    assert rows == [
        ("checkout", "Checkout", 1),
        ("ledger", "Ledger", 1),
        ("search", "Search", 1),
        ("", "", 1),
    ]
    assert sum(g["incidents"] for g in body["by_service"]) == 4  # more than the 3 incidents
    search = body["by_service"][2]
    assert search["mtta_seconds"] == TTA["B"]


def test_top_causes_with_the_previous_period_and_the_incidents(
    history: History, viewer_api: Api
) -> None:
    body = summary(viewer_api, **QUARTER)

    assert body["top_causes"] == [
        {
            "key": "capacity",
            "label": "Capacity or load",
            "incidents": 2,
            "previous_incidents": 1,
            "refs": [history.a.ref, history.b.ref],
        }
    ]
    earlier = summary(viewer_api, **{"from": "2026-07-01", "to": "2026-09-30"})
    # Equal counts: in the categories' order (change before capacity).
    assert [(c["key"], c["incidents"], c["previous_incidents"]) for c in earlier["top_causes"]] == [
        ("change", 1, 0),
        ("capacity", 1, 0),
    ]


def test_the_cause_filter_narrows_every_figure(history: History, viewer_api: Api) -> None:
    body = summary(viewer_api, **QUARTER, cause="capacity")

    assert body["incidents"] == 2
    assert body["drills"] == 1  # the drill has the cause too, and is still left out
    assert body["mttr_seconds"] == pytest.approx(statistics.fmean(TTR.values()))
    assert [g["key"] for g in body["by_cause"]] == ["capacity"]
    assert summary(viewer_api, **QUARTER, cause="change")["incidents"] == 0
    assert summary(viewer_api, **QUARTER, cause="no-such-cause")["incidents"] == 0


def test_the_service_filter_keeps_every_service_of_the_incidents(
    history: History, viewer_api: Api
) -> None:
    body = summary(viewer_api, **QUARTER, service="ledger")
    assert body["incidents"] == 1
    assert [g["key"] for g in body["by_service"]] == ["checkout", "ledger"]


def test_a_bad_cause_slug_is_a_400(viewer_api: Api) -> None:
    response = english(viewer_api).get("/reports/summary", cause="not a slug")
    assert response.status_code == 400
    assert "cause" in response.json()["detail"]


def test_the_csv_appends_cause_and_services(history: History, viewer_api: Api) -> None:
    response = english(viewer_api).get("/reports/summary", **QUARTER, format="csv")

    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    header = rows[0]
    # The existing columns stay where they were; the two new ones come last.
    assert header[:5] == ["incident", "title", "team", "severity", "status"]
    assert header[-2:] == ["cause", "services"]
    cells = {row[0]: row[-2:] for row in rows[1:]}
    assert cells == {
        history.a.ref: ["capacity", "checkout;ledger"],
        history.b.ref: ["capacity", "search"],
        history.c.ref: ["", ""],
    }


def test_the_summary_queries_do_not_grow_with_the_incidents(
    responder_api: Api, frozen_clock: MovableClock, viewer_api: Api
) -> None:
    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            summary(viewer_api, **QUARTER)
        return len(captured.captured_queries)

    _build(responder_api, frozen_clock)
    count()  # the token's first use this minute is recorded once: measure the steady state
    before = count()
    actor = responder_api.user
    for n in range(3):
        more = incidents.report_incident(actor, f"More {n}", page_on_call=False)
        incidents.update_incident(actor, more, {"cause_category": _cause("defect")})
    assert count() == before


def test_the_cli_takes_a_cause(history: History) -> None:
    out = io.StringIO()
    argv = ["report", "summary", "--from", PERIOD[0], "--to", PERIOD[1], "--format", "json"]
    call_command(*argv, "--cause", "capacity", "--lang", "en", stdout=out, stderr=io.StringIO())
    body = json.loads(out.getvalue())
    assert body["incidents"] == 2
    assert body["top_causes"][0]["refs"] == [history.a.ref, history.b.ref]


def _page_text(client: Client, query: str) -> str:
    response = client.get("/reports/" + query, headers={"Accept-Language": "en"})
    assert response.status_code == 200
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_the_page_shows_the_breakdowns_and_top_causes(history: History, viewer: User) -> None:
    client = Client()
    client.force_login(viewer)

    text = _page_text(client, "")

    assert "By service Incidents MTTA MTTR Checkout 1 5 min 1 h 00 min Ledger 1" in text
    assert "Search 1 15 min 3 h 00 min No service 1 1 min —" in text
    assert "By cause Incidents MTTA MTTR Capacity or load 2 10 min 2 h 00 min" in text
    assert "Not classified 1 1 min —" in text
    assert (
        f"Top recurring causes Cause category Incidents Previous period Which incidents "
        f"Capacity or load 2 1 more {history.a.ref} , {history.b.ref}"
    ) in text
    filtered = _page_text(client, "?cause=change")
    assert "No incident of this period has a cause category yet." in filtered
    html = client.get("/reports/?cause=capacity", headers={"Accept-Language": "en"})
    assert '<option value="capacity" selected>Capacity or load</option>' in html.content.decode()
