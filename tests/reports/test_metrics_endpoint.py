"""GET /metrics: the Prometheus text format, read with prometheus_client's own parser, as a
scraper would (no session): MTTA/MTTR per team over the last 30 days and the open incidents
per severity, from the known history of tests/reports/history.py; the bearer token."""

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from prometheus_client.parser import text_string_to_metric_families

from kizuki.accounts.models import User
from kizuki.alerts.models import AlertGroup
from kizuki.catalog.models import Service
from kizuki.incidents import actions as incidents
from kizuki.incidents.models import Incident
from tests.conftest import Api, MovableClock
from tests.reports.history import build
from tests.retros.domain_support import ok

pytestmark = pytest.mark.django_db


def scrape(token: str = "", **headers: str) -> dict[tuple[str, str], float]:
    """{(series name, its one label's value): value} of an anonymous scrape."""
    if token:
        headers["Authorization"] = f"Bearer {token}"
    response = Client().get("/metrics", headers=headers)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/plain; version=0.0.4")
    found = {}
    for family in text_string_to_metric_families(response.content.decode()):
        for sample in family.samples:
            if len(sample.labels) != 1:  # other series: tests/oncall/test_paging_series.py
                continue
            (label,) = sample.labels.values()
            found[(sample.name, label)] = sample.value
    return found


@pytest.fixture
def history(responder: User, responder_api: Api, frozen_clock: MovableClock) -> None:
    """Two months before the history, an incident of payments that took a day to acknowledge
    (outside the 30 days); then the history; then an incident without a team acknowledged
    after 2 minutes and still open, not classified."""
    start = frozen_clock.now
    frozen_clock.advance(days=-60)
    old = incidents.report_incident(responder, "Long ago", page_on_call=False)
    frozen_clock.advance(days=1)
    incidents.transition(responder, old, "acknowledged")
    frozen_clock.now = start
    frozen_clock.advance()
    build(responder_api, frozen_clock)
    orphan = incidents.report_incident(responder, "Nobody's", page_on_call=False)
    frozen_clock.advance(minutes=2)
    incidents.transition(responder, orphan, "acknowledged")


def test_response_times_per_team_over_the_last_30_days(history: None) -> None:
    values = scrape()
    # payments: A (5 min, 1 h) and B (15 min, 3 h); search: C (1 min, not resolved yet).
    assert values[("kizuki_incident_mtta_seconds", "payments")] == 600
    assert values[("kizuki_incident_mttr_seconds", "payments")] == 7200
    assert values[("kizuki_incident_mtta_seconds", "search")] == 60
    assert ("kizuki_incident_mttr_seconds", "search") not in values
    assert values[("kizuki_incident_mtta_seconds", "")] == 120  # no team
    # Open now: C (SEV2) and the two not classified; the drill is left out.
    assert values[("kizuki_incidents_open", "SEV1")] == 0
    assert values[("kizuki_incidents_open", "SEV2")] == 1
    assert values[("kizuki_incidents_open", "")] == 2


def test_the_window_rolls_with_the_clock(history: None, frozen_clock: MovableClock) -> None:
    frozen_clock.advance(days=29)  # A, B and C fall out; the one without a team is still in
    values = scrape()
    assert ("kizuki_incident_mtta_seconds", "payments") not in values
    assert ("kizuki_incident_mtta_seconds", "search") not in values
    assert values[("kizuki_incident_mtta_seconds", "")] == 120


def test_help_says_the_window() -> None:
    text = Client().get("/metrics").content.decode()
    assert "# HELP kizuki_incident_mtta_seconds Mean time to acknowledge (seconds) of the " in text
    assert "last 30 days" in text
    assert "# TYPE kizuki_incident_mttr_seconds gauge" in text


def test_the_same_numbers_as_the_summary_report(
    history: None, viewer_api: Api, service: Service, frozen_clock: MovableClock
) -> None:
    """An alert group that fired 10 minutes before B was reported starts B's clock, in the
    report and in the gauges alike."""
    b = Incident.objects.get(title="Search is slow")
    AlertGroup.objects.create(
        service=service,
        group_key="slow",
        title="Search latency",
        incident=b,
        created_at=b.reported_at - timedelta(minutes=10),
    )
    body: dict[str, Any] = ok(viewer_api.get("/reports/summary", **{"from": "2026-10-29"}))
    payments = next(group for group in body["by_team"] if group["label"] == "Payments")
    assert payments["mtta_seconds"] == (5 * 60 + 25 * 60) / 2
    values = scrape()
    assert values[("kizuki_incident_mtta_seconds", "payments")] == payments["mtta_seconds"]
    assert values[("kizuki_incident_mttr_seconds", "payments")] == payments["mttr_seconds"]


def test_a_token_is_required_when_set(history: None, settings: Any) -> None:
    settings.KIZUKI_METRICS_TOKEN = "s3cret-scrape-token"
    assert Client().get("/metrics").status_code == 401
    wrong = Client().get("/metrics", headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401
    assert wrong["WWW-Authenticate"].startswith("Bearer")
    basic = Client().get("/metrics", headers={"Authorization": "Basic czNjcmV0"})
    assert basic.status_code == 401
    assert scrape("s3cret-scrape-token")[("kizuki_incident_mtta_seconds", "payments")] == 600


def test_open_without_a_token_and_without_a_session(viewer: User) -> None:
    response = Client().get("/metrics")
    assert response.status_code == 200
    assert "sessionid" not in response.cookies
    assert Client().post("/metrics").status_code == 405
