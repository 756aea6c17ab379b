"""Responder load and alert noise in GET /api/v1/reports/summary, with known answers: pages
sent by the real escalation engine at chosen moments (one on a Japanese public holiday), role
hours clipped to the period, on-call hours from a real schedule with an override, and alert
groups sent by Alertmanager, one of them declared an incident by a routing rule."""

import io
import re
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kizuki.accounts import actions as accounts
from kizuki.accounts.models import User
from kizuki.catalog import actions as catalog
from kizuki.catalog.models import Service
from kizuki.incidents import actions as incidents
from kizuki.oncall import actions as oncall
from kizuki.oncall.models import EscalationPolicy
from tests.alerts.support import accepted, alertmanager, am_alert, integration
from tests.conftest import Api, MovableClock, make_user
from tests.notify.support import add_rule, create_policy, run_worker, step
from tests.reports.history import PERIOD, build
from tests.retros.domain_support import ok
from tests.schedules.support import create, layer, local

pytestmark = pytest.mark.django_db

TOKYO = "Asia/Tokyo"
NOVEMBER = {"from": "2026-11-01", "to": "2026-11-30"}


def at(clock: MovableClock, wall_clock: str) -> None:
    """Put the clock at a Tokyo wall-clock moment (earlier or later than now)."""
    clock.now = datetime.fromisoformat(wall_clock).replace(tzinfo=ZoneInfo(TOKYO)).astimezone(UTC)
    clock.advance()


def summary(api: Api, **params: str) -> dict[str, Any]:
    body: dict[str, Any] = ok(api.get("/reports/summary", **params))
    return body


def load_of(body: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {row["user"]: row for row in body["responder_load"]}


@pytest.fixture
def sam(db: None) -> User:
    return make_user("sam", "responder")


def test_pages_count_once_per_step_and_out_of_hours_counts_a_japanese_holiday(
    admin_api: Api, viewer_api: Api, sam: User, frozen_clock: MovableClock
) -> None:
    # Two ways to reach sam: each page goes out twice but is one page.
    add_rule(admin_api, sam, "email")
    add_rule(admin_api, sam, "email", address="sam.phone@example.test")
    policy = EscalationPolicy.objects.get(
        pk=create_policy(admin_api, "Checkout", [step(("user", "sam"))])["id"]
    )
    moments = [
        "2026-10-31 23:30",  # Saturday night, the day before the period: not counted
        "2026-11-23 10:00",  # Monday 10:00, but Labour Thanksgiving Day: out of hours
        "2026-11-25 10:00",  # Wednesday 10:00: business hours
        "2026-11-25 19:00",  # Wednesday 19:00: out of hours
        "2026-11-28 11:00",  # Saturday: out of hours
    ]
    for moment in moments:
        at(frozen_clock, moment)
        oncall.start_escalation(policy, f"Checkout is down ({moment})")
        run_worker()
    at(frozen_clock, "2026-12-01 09:00")
    row = load_of(summary(viewer_api, **NOVEMBER))["sam"]
    assert row["pages"] == 4
    assert row["out_of_hours_share"] == 0.75
    assert (row["incident_hours"], row["oncall_hours"]) == (0, 0)
    assert row["name"] == "sam"

    # The Wednesday 10:00 page alone: inside business hours.
    wednesday = summary(viewer_api, **{"from": "2026-11-25", "to": "2026-11-25"})
    assert load_of(wednesday)["sam"]["pages"] == 2
    assert load_of(wednesday)["sam"]["out_of_hours_share"] == 0.5


def test_incident_hours_are_clipped_to_the_period_and_leave_drills_and_false_alarms_out(
    viewer_api: Api, sam: User, responder: User, frozen_clock: MovableClock
) -> None:
    payments = accounts.create_team("payments", "Payments")
    # Reported the evening before the period; resolved two hours into it.
    at(frozen_clock, "2026-10-31 22:00")
    before = incidents.report_incident(sam, "Card auth fails", team=payments, page_on_call=False)
    incidents.assign_role(sam, before, "incident_commander", sam)
    before = incidents.transition(sam, before, "declared", severity=2)
    at(frozen_clock, "2026-11-01 02:00")
    incidents.transition(sam, before, "resolved")

    # The last hour of the period, still open after it: sam holds two roles at once (one
    # hour), rei helps for a quarter of an hour.
    at(frozen_clock, "2026-11-30 23:00")
    late = incidents.report_incident(sam, "Refunds stuck", team=payments, page_on_call=False)
    incidents.assign_role(sam, late, "incident_commander", sam)
    incidents.assign_role(sam, late, "communications_lead", sam)
    frozen_clock.advance(minutes=30)
    incidents.assign_role(sam, late, "technical_lead", responder)
    frozen_clock.advance(minutes=15)
    incidents.release_role(sam, late, "technical_lead", responder)

    # Neither a drill nor a false alarm counts.
    at(frozen_clock, "2026-11-10 10:00")
    drill = incidents.report_incident(sam, "Game day", page_on_call=False, is_drill=True)
    incidents.assign_role(sam, drill, "incident_commander", sam)
    flaky = incidents.report_incident(sam, "Flaky probe", page_on_call=False)
    incidents.assign_role(sam, flaky, "incident_commander", responder)
    incidents.transition(sam, flaky, "false_alarm")

    at(frozen_clock, "2026-12-02 09:00")
    body = summary(viewer_api, **NOVEMBER)
    assert [(row["user"], row["incident_hours"]) for row in body["responder_load"]] == [
        ("sam", 3.0),
        ("rei", 0.25),
    ]
    # December holds the rest of the open incident: a day and nine hours so far.
    december = load_of(summary(viewer_api, **{"from": "2026-12-01", "to": "2026-12-31"}))
    assert december["sam"]["incident_hours"] == 33.0
    assert "rei" not in december
    # Another team's filter leaves payments' incidents out.
    assert summary(viewer_api, team="search", **NOVEMBER)["responder_load"] == []


def test_oncall_hours_come_from_the_schedule_with_its_overrides(
    responder_api: Api, viewer_api: Api, frozen_clock: MovableClock
) -> None:
    for name in ("ana", "ben"):
        make_user(name, "viewer")
    at(frozen_clock, "2026-10-20 09:00")
    schedule = create(responder_api, [layer(["ana", "ben"])])["id"]
    # ben covers six hours of ana's first shift.
    noon, six = local(TOKYO, "2026-11-01 12:00"), local(TOKYO, "2026-11-01 18:00")
    ok(
        responder_api.post(
            f"/schedules/{schedule}/overrides",
            {"user": "ben", "starts_at": noon.isoformat(), "ends_at": six.isoformat()},
        ),
        201,
    )
    at(frozen_clock, "2026-12-01 09:00")
    # The first week of November: the rotation starts on the 1st at 09:00; ana has the 1st,
    # 3rd, 5th and 7th (the last cut at midnight: 15 h), ben the 2nd, 4th and 6th.
    week = load_of(summary(viewer_api, **{"from": "2026-11-01", "to": "2026-11-07"}))
    assert week["ana"]["oncall_hours"] == 3 * 24 + 15 - 6
    assert week["ben"]["oncall_hours"] == 3 * 24 + 6
    assert week["ana"]["pages"] == 0
    assert week["ana"]["out_of_hours_share"] is None

    # The future is not counted: the period runs to now.
    at(frozen_clock, "2026-11-02 09:00")
    so_far = load_of(summary(viewer_api, **{"from": "2026-11-01", "to": "2026-11-07"}))
    assert (so_far["ana"]["oncall_hours"], so_far["ben"]["oncall_hours"]) == (18, 6)


@pytest.fixture
def search(db: None) -> Service:
    return catalog.create_service("search-api", "Search API", accounts.create_team("search", "S"))


def test_alert_noise_counts_groups_without_incidents_and_the_noisiest_integrations(
    admin_api: Api,
    responder_api: Api,
    viewer_api: Api,
    service: Service,
    search: Service,
    frozen_clock: MovableClock,
) -> None:
    checkout_path = integration(admin_api, service.pk, "alertmanager")[1]
    search_path = integration(admin_api, search.pk, "grafana", name="Search Grafana")[1]
    response = admin_api.post(
        f"/services/{service.pk}/routing-rules",
        {"name": "critical", "match_labels": {"severity": "critical"}, "declare_severity": 2},
    )
    assert response.status_code == 201, response.json()

    def fire(path: str, key: str, severity: str = "warning") -> int:
        payload = alertmanager(am_alert(key, severity=severity), group_key=key)
        (group_id,) = accepted(path, payload)["groups"]
        return int(group_id)

    quiet = fire(checkout_path, "disk")
    ok(responder_api.post(f"/alert-groups/{quiet}/acknowledge"))
    ok(responder_api.post(f"/alert-groups/{quiet}/resolve"))
    fire(checkout_path, "latency")
    fire(checkout_path, "errors", severity="critical")  # declared an incident
    grafana = {
        "receiver": "kizuki",
        "status": "firing",
        "alerts": [
            {
                "status": "firing",
                "labels": {"alertname": "SearchSlow"},
                "annotations": {"summary": "Search is slow"},
                "startsAt": "2026-11-25T00:58:00Z",
                "fingerprint": "f1",
            }
        ],
        "groupKey": "search-slow",
        "title": "[FIRING:1] SearchSlow",
    }
    accepted(search_path, grafana)

    body = summary(viewer_api, **NOVEMBER)["alert_noise"]
    assert (body["groups"], body["without_incident"]) == (4, 3)
    assert body["acknowledged_resolved_without_incident"] == 1
    top = [(i["name"], i["groups"], i["without_incident"]) for i in body["top_integrations"]]
    assert top == [("Alertmanager", 3, 2), ("Search Grafana", 1, 1)]
    assert [i["share"] for i in body["top_integrations"]] == [0.6667, 0.3333]

    # The team and service filters pick the groups' services; October had none.
    payments = summary(viewer_api, team="payments", **NOVEMBER)["alert_noise"]
    assert (payments["groups"], payments["without_incident"]) == (3, 2)
    by_service = summary(viewer_api, service="search-api", **NOVEMBER)["alert_noise"]
    assert [i["name"] for i in by_service["top_integrations"]] == ["Search Grafana"]
    october = summary(viewer_api, **{"from": "2026-10-01", "to": "2026-10-31"})["alert_noise"]
    assert october == {
        "groups": 0,
        "without_incident": 0,
        "acknowledged_resolved_without_incident": 0,
        "top_integrations": [],
    }


def test_load_and_noise_take_a_fixed_number_of_queries(
    admin_api: Api, viewer_api: Api, frozen_clock: MovableClock
) -> None:
    def queries_for_report() -> int:
        with CaptureQueriesContext(connection) as captured:
            summary(viewer_api, **NOVEMBER)
        return len(captured.captured_queries)

    people = [make_user(f"p{n}", "responder") for n in range(2)]
    at(frozen_clock, "2026-10-20 09:00")
    create(admin_api, [layer([p.username for p in people])])
    at(frozen_clock, "2026-11-10 09:00")
    incident = incidents.report_incident(people[0], "One", page_on_call=False)
    incidents.assign_role(people[0], incident, "incident_commander", people[0])
    at(frozen_clock, "2026-12-01 09:00")
    queries_for_report()  # the token's first use this minute is recorded once
    few = queries_for_report()

    more = [make_user(f"q{n}", "responder") for n in range(4)]
    at(frozen_clock, "2026-10-20 09:00")
    create(admin_api, [layer([p.username for p in more])], name="Secondary")
    at(frozen_clock, "2026-11-12 09:00")
    for person in more:
        other = incidents.report_incident(person, f"By {person.username}", page_on_call=False)
        incidents.assign_role(person, other, "incident_commander", person)
    at(frozen_clock, "2026-12-01 09:00")
    assert queries_for_report() == few


def test_the_page_and_the_document_show_both_sections_with_definitions(
    viewer: User, responder_api: Api, frozen_clock: MovableClock
) -> None:
    build(responder_api, frozen_clock)  # rei commands INC A for 50 minutes
    rei = load_of(summary(responder_api, **{"from": PERIOD[0], "to": PERIOD[1]}))["rei"]
    assert rei["incident_hours"] == pytest.approx(50 / 60, abs=0.01)
    client = Client()
    client.force_login(viewer)
    html = client.get("/reports/", headers={"Accept-Language": "en"}).content.decode()
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert (
        "Responder load Person Incident hours Pages Out of hours On-call hours rei 0.8 0 — 0.0"
        in text
    )
    assert 'title="Incident hours: time holding at least one role on an incident' in html
    assert "Alert noise Alert groups 0 Without an incident 0 (—)" in text
    assert 'title="Without an incident: alert groups never linked to an incident."' in html

    out = io.StringIO()
    call_command("report", "summary", "--from", PERIOD[0], "--to", PERIOD[1], stdout=out)
    document = out.getvalue()
    assert 'data-testid="report-noise"' in document
    assert 'data-testid="load-rei"' in document
