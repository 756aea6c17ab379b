"""Bad input is refused with a 4xx, a `detail` and a `code`, and leaves everything as it was."""

from typing import Any

import pytest

from kizuki.catalog.models import Service
from tests.conftest import Api, MovableClock
from tests.incidents.support import assert_error, call, english, incident_in, look, move, row_counts


@pytest.fixture
def api(responder_api: Api) -> Api:
    return english(responder_api)


@pytest.mark.parametrize("level", [0, 6, 9, -1])
def test_reporting_with_an_unknown_severity_is_refused(api: Api, level: int) -> None:
    counts = row_counts()
    assert_error(
        api.post("/incidents", {"title": "Checkout fails", "severity": level}),
        422,
        "invalid",
        "severity",
    )
    assert row_counts() == counts


@pytest.mark.parametrize("level", [0, 6, 9])
def test_declaring_with_an_unknown_severity_is_refused(api: Api, level: int) -> None:
    ref = incident_in(api, "reported")
    before, counts = look(api, ref), row_counts()
    assert_error(move(api, ref, "declared", severity=level), 422, "invalid", "severity")
    assert_error(api.patch(f"/incidents/{ref}", {"severity": level}), 422, "invalid", "severity")
    assert look(api, ref) == before
    assert row_counts() == counts


def test_configuring_an_unknown_severity_is_refused(admin_api: Api) -> None:
    response = english(admin_api).patch("/severities/9", {"name_en": "Apocalyptic"})
    assert_error(response, 400, "invalid", "Unknown severity 9; use one of 1, 2, 3, 4, 5.")
    assert [s["level"] for s in admin_api.get("/severities").json()] == [1, 2, 3, 4, 5]


@pytest.mark.parametrize("title", ["", "   ", "\n\t"])
def test_a_report_needs_a_title(api: Api, title: str) -> None:
    counts = row_counts()
    assert_error(api.post("/incidents", {"title": title}), 400, "invalid", "A title is required.")
    assert api.get("/incidents").json()["count"] == 0
    assert row_counts() == counts


def test_a_title_over_200_characters_is_refused(api: Api) -> None:
    counts = row_counts()
    assert_error(api.post("/incidents", {"title": "x" * 201}), 422, "invalid", "title")
    assert row_counts() == counts


def test_a_report_without_a_body_is_refused(api: Api) -> None:
    counts = row_counts()
    assert_error(api.post("/incidents", {}), 422, "invalid", "title")
    assert row_counts() == counts


@pytest.mark.parametrize(
    ("fields", "detail"),
    [
        ({"services": ["checkout", "billing"]}, "Unknown service: billing."),
        ({"services": ["nope"]}, "Unknown service: nope."),
        ({"team": "nope"}, "Unknown team nope."),
    ],
)
def test_a_report_naming_an_unknown_service_or_team_is_refused(
    api: Api, service: Service, fields: dict[str, Any], detail: str
) -> None:
    counts = row_counts()
    assert_error(
        api.post("/incidents", {"title": "Checkout fails", **fields}), 400, "invalid", detail
    )
    assert row_counts() == counts


@pytest.mark.parametrize(
    ("body", "status", "detail"),
    [
        ({"role": "incident_commander", "user": "nobody"}, 400, "Unknown user nobody."),
        ({"role": "supreme_leader", "user": "rei"}, 400, "Unknown role supreme_leader"),
        ({"role": "incident_commander"}, 422, "user"),
    ],
)
def test_assigning_an_unknown_role_or_person_is_refused(
    api: Api, body: dict[str, str], status: int, detail: str
) -> None:
    ref = incident_in(api, "declared")
    before, counts = look(api, ref), row_counts()
    assert_error(api.post(f"/incidents/{ref}/roles", body), status, "invalid", detail)
    assert look(api, ref) == before
    assert row_counts() == counts


@pytest.mark.parametrize(
    ("occurred_at", "detail"),
    [
        ("2026-11-25T01:00:01Z", "cannot be in the future"),
        ("2026-11-25T10:30:00+09:00", "cannot be in the future"),
        ("2026-11-25T00:30:00", "with its time zone"),
    ],
)
def test_a_timeline_note_in_the_future_or_without_a_zone_is_refused(
    api: Api, frozen_clock: MovableClock, occurred_at: str, detail: str
) -> None:
    ref = incident_in(api, "declared")
    before, counts = look(api, ref), row_counts()
    body = {"text": "Database failover", "occurred_at": occurred_at}
    assert_error(api.post(f"/incidents/{ref}/timeline", body), 400, "invalid", detail)
    assert look(api, ref) == before
    assert row_counts() == counts


def test_an_unreadable_time_is_refused(api: Api) -> None:
    ref = incident_in(api, "declared")
    counts = row_counts()
    body = {"text": "Database failover", "occurred_at": "yesterday-ish"}
    assert_error(api.post(f"/incidents/{ref}/timeline", body), 422, "invalid", "occurred_at")
    assert row_counts() == counts


def test_an_unknown_transition_name_is_refused(api: Api) -> None:
    ref = incident_in(api, "declared")
    before, counts = look(api, ref), row_counts()
    assert_error(move(api, ref, "exploded"), 422, "invalid", "to:")
    assert look(api, ref) == before
    assert row_counts() == counts


def test_filtering_by_an_unknown_status_is_refused(api: Api) -> None:
    incident_in(api, "declared")
    response = api.get("/incidents", status="on_fire")
    assert_error(response, 400, "invalid", "Unknown status on_fire", "declared")


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("get", "/incidents/INC-999", {}),
        ("get", "/incidents/999", {}),
        ("get", "/incidents/banana", {}),
        ("patch", "/incidents/INC-999", {"title": "Renamed"}),
        ("post", "/incidents/INC-999/transitions", {"to": "mitigated"}),
        ("get", "/incidents/INC-999/roles", {}),
        ("post", "/incidents/INC-999/roles", {"role": "scribe", "user": "rei"}),
        ("delete", "/incidents/INC-999/roles/scribe/rei", {}),
        ("get", "/incidents/INC-999/timeline", {}),
        ("post", "/incidents/INC-999/timeline", {"text": "Hello?"}),
        ("patch", "/incidents/INC-999/timeline/1", {"text": "Hello?"}),
        ("delete", "/incidents/INC-999/timeline/1", {}),
        ("get", "/incidents/INC-999/status-updates", {}),
        ("post", "/incidents/INC-999/status-updates", {"text": "Hello?"}),
    ],
)
def test_an_unknown_incident_is_not_found(
    api: Api, method: str, path: str, body: dict[str, Any]
) -> None:
    incident_in(api, "declared")
    counts = row_counts()
    assert_error(call(api, method, path, body), 404, "not_found", "No incident")
    assert row_counts() == counts


def test_an_empty_note_is_refused(api: Api) -> None:
    ref = incident_in(api, "declared")
    counts = row_counts()
    assert_error(api.post(f"/incidents/{ref}/timeline", {"text": "  "}), 400, "invalid", "empty")
    assert row_counts() == counts
