"""The schedule endpoints as a client sees them: shapes, lookups, permissions, bad input."""

from datetime import UTC, datetime
from typing import Any

import pytest

from kizuki.core.models import AuditEntry
from tests.conftest import Api, MovableClock
from tests.incidents.support import assert_error, english
from tests.schedules.support import create, layer, on_call, people, row_counts, send

pytestmark = pytest.mark.django_db


def test_creating_a_schedule_answers_with_its_layers_and_a_two_week_preview(
    responder_api: Api, frozen_clock: MovableClock
) -> None:
    people()
    response = responder_api.post(
        "/schedules",
        {
            "name": "Payments primary",
            "time_zone": "Asia/Tokyo",
            "layers": [
                {
                    "users": ["ana", "ben"],
                    "shift_length": "1w",
                    "handoff_time": "10:00",
                    "start": "2026-11-23T15:00:00+00:00",  # already 11-24 in Tokyo
                    "name": "Weekdays",
                }
            ],
        },
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["name"] == "Payments primary"
    assert body["time_zone"] == "Asia/Tokyo"
    assert body["layers"] == [
        {
            "id": body["layers"][0]["id"],
            "position": 0,
            "name": "Weekdays",
            "users": ["ana", "ben"],
            "shift_length": "1w",
            "shift_seconds": 604800,
            "handoff_time": "10:00",
            "start": "2026-11-24",
            "holidays": "any",
        }
    ]
    assert body["on_call"] == ["ana"]
    assert [(s["user"], s["starts_at"]) for s in body["preview"]] == [
        ("ana", "2026-11-25T01:00:00Z"),
        ("ben", "2026-12-01T01:00:00Z"),
        ("ana", "2026-12-08T01:00:00Z"),
    ]
    assert body["preview"][-1]["ends_at"] == "2026-12-09T01:00:00Z"
    audit = AuditEntry.objects.get(action="schedule.create")
    assert audit.actor == responder_api.user
    assert audit.after is not None
    assert audit.after["layers"][0]["users"] == ["ana", "ben"]


def test_schedules_are_listed_and_shown(viewer_api: Api, responder_api: Api) -> None:
    people()
    second = create(responder_api, [layer(["ben"])], name="B secondary")
    first = create(responder_api, [layer(["ana"])], name="A primary")
    listing = viewer_api.get("/schedules").json()
    assert listing["count"] == 2
    assert [item["name"] for item in listing["items"]] == ["A primary", "B secondary"]
    shown = viewer_api.get(f"/schedules/{second['id']}").json()
    assert shown["layers"][0]["users"] == ["ben"]
    assert (
        viewer_api.get("/schedules", page=2, page_size=1).json()["items"][0]["id"] == second["id"]
    )
    assert first["id"] != second["id"]


def test_layers_can_be_replaced(responder_api: Api) -> None:
    people()
    schedule = create(responder_api, [layer(["ana", "ben"])])
    response = send(
        responder_api,
        "put",
        f"/schedules/{schedule['id']}/layers",
        {"layers": [layer(["chie"], "12h")]},
    )
    assert response.status_code == 200, response.json()
    assert [(entry["users"], entry["shift_length"]) for entry in response.json()["layers"]] == [
        (["chie"], "12h")
    ]
    assert AuditEntry.objects.filter(action="schedule.layers").count() == 1


def test_unknown_ids_are_404(viewer_api: Api, responder_api: Api) -> None:
    people()
    schedule = create(responder_api, [layer(["ana"])])["id"]
    assert_error(english(viewer_api).get("/schedules/999"), 404, "not_found", "999")
    assert_error(viewer_api.get("/schedules/999/oncall"), 404, "not_found")
    assert_error(viewer_api.get("/schedules/999/ical"), 404, "not_found")
    assert_error(viewer_api.get("/schedules/999/warnings"), 404, "not_found")
    assert_error(viewer_api.get("/users/nobody/ical"), 404, "not_found")
    assert_error(responder_api.delete(f"/schedules/{schedule}/overrides/5"), 404, "not_found")


# Every schedule endpoint, on schedule {s} with override {o}.
READS: list[tuple[str, str, dict[str, Any]]] = [
    ("get", "/schedules", {}),
    ("get", "/schedules/{s}", {}),
    ("get", "/schedules/{s}/oncall", {}),
    ("get", "/schedules/{s}/warnings", {}),
    ("get", "/schedules/{s}/ical", {}),
    ("get", "/users/ana/ical", {}),
]
WRITES: list[tuple[str, str, dict[str, Any]]] = [
    ("post", "/schedules", {"name": "Other", "layers": [layer(["ana"])]}),
    ("put", "/schedules/{s}/layers", {"layers": [layer(["ben"])]}),
    (
        "post",
        "/schedules/{s}/overrides",
        {"user": "ben", "starts_at": "2026-12-01T00:00Z", "ends_at": "2026-12-02T00:00Z"},
    ),
    ("delete", "/schedules/{s}/overrides/{o}", {}),
]


@pytest.fixture
def ids(responder_api: Api) -> dict[str, int]:
    """A schedule with one override, made by a responder."""
    people()
    schedule = create(responder_api, [layer(["ana"])])
    response = responder_api.post(
        f"/schedules/{schedule['id']}/overrides",
        {"user": "ana", "starts_at": "2026-12-01T00:00Z", "ends_at": "2026-12-02T00:00Z"},
    )
    assert response.status_code == 201
    return {"s": schedule["id"], "o": response.json()["id"]}


@pytest.mark.parametrize(("method", "path", "body"), READS + WRITES)
def test_anonymous_callers_get_401(
    anonymous_api: Api, ids: dict[str, int], method: str, path: str, body: dict[str, Any]
) -> None:
    before = row_counts()
    response = send(anonymous_api, method, path.format(**ids), body)
    assert_error(response, 401, "unauthenticated")
    assert row_counts() == before


@pytest.mark.parametrize(("method", "path", "body"), WRITES)
def test_viewers_cannot_change_schedules(
    viewer_api: Api, ids: dict[str, int], method: str, path: str, body: dict[str, Any]
) -> None:
    before = row_counts()
    response = send(english(viewer_api), method, path.format(**ids), body)
    assert_error(response, 403, "forbidden", "Responder")
    assert row_counts() == before


@pytest.mark.parametrize(("method", "path", "body"), READS)
def test_viewers_may_read(
    viewer_api: Api, ids: dict[str, int], method: str, path: str, body: dict[str, Any]
) -> None:
    assert send(viewer_api, method, path.format(**ids), body).status_code == 200


@pytest.mark.parametrize(("method", "path", "body"), WRITES)
def test_responders_may_change_schedules(
    responder_api: Api, ids: dict[str, int], method: str, path: str, body: dict[str, Any]
) -> None:
    assert send(responder_api, method, path.format(**ids), body).status_code in {200, 201, 204}


BAD_SCHEDULES: list[tuple[dict[str, Any], int, str]] = [
    ({"layers": [layer(["nobody"])]}, 400, "nobody"),
    ({"time_zone": "Mars/Olympus"}, 400, "Mars/Olympus"),
    ({"time_zone": "../../etc/passwd"}, 400, "time zone"),
    ({"layers": [layer(["ana"], "3x")]}, 400, "3x"),
    ({"layers": [layer(["ana"], "0h")]}, 400, "0h"),
    ({"layers": [layer(["ana"], "30m")]}, 400, "30m"),
    ({"layers": [layer(["ana"], "")]}, 400, "shift length"),
    ({"layers": [layer(["ana"], handoff_time="25:00")]}, 400, "25:00"),
    ({"layers": [layer(["ana"], start="yesterday")]}, 400, "yesterday"),
    ({"layers": [layer(["ana"], start="0001-01-01")]}, 400, "0001-01-01"),
    ({"layers": [layer([])]}, 400, "at least one person"),
    ({"layers": []}, 400, "at least one layer"),
    ({"name": "  "}, 400, "name"),
    ({"layers": [layer(["ana"], holidays="sometimes")]}, 422, "holidays"),
    ({"layers": [{"users": ["ana"]}]}, 422, "shift_length"),
    ({"team": "nope"}, 400, "nope"),
]


@pytest.mark.parametrize(("change", "status", "fragment"), BAD_SCHEDULES)
def test_bad_schedules_are_refused_and_nothing_is_created(
    responder_api: Api, change: dict[str, Any], status: int, fragment: str
) -> None:
    people()
    body = {"name": "Primary", "time_zone": "Asia/Tokyo", "layers": [layer(["ana"])], **change}
    before = row_counts()
    response = english(responder_api).post("/schedules", body)
    assert_error(response, status, "invalid", fragment)
    assert row_counts() == before


def test_a_second_schedule_with_the_same_name_is_a_conflict(responder_api: Api) -> None:
    people()
    create(responder_api, [layer(["ana"])])
    before = row_counts()
    response = english(responder_api).post(
        "/schedules", {"name": "Primary", "layers": [layer(["ben"])]}
    )
    assert_error(response, 409, "conflict", "Primary")
    assert row_counts() == before


BAD_OVERRIDES: list[tuple[dict[str, Any], int, str]] = [
    ({"ends_at": "2026-12-01T00:00:00Z"}, 400, "end after"),
    ({"ends_at": "2026-11-30T00:00:00Z"}, 400, "end after"),
    ({"starts_at": "2026-12-01T00:00:00"}, 400, "time zone"),
    ({"user": "nobody"}, 400, "nobody"),
    ({"starts_at": "0001-01-01T00:00:00Z"}, 400, "0001-01-01"),
    ({"starts_at": "soon"}, 422, "starts_at"),
]


@pytest.mark.parametrize(("change", "status", "fragment"), BAD_OVERRIDES)
def test_bad_overrides_are_refused_and_nothing_is_created(
    responder_api: Api, change: dict[str, Any], status: int, fragment: str
) -> None:
    people()
    schedule = create(responder_api, [layer(["ana"])])["id"]
    body = {
        "user": "ben",
        "starts_at": "2026-12-01T00:00:00Z",
        "ends_at": "2026-12-02T00:00:00Z",
        **change,
    }
    before = row_counts()
    response = english(responder_api).post(f"/schedules/{schedule}/overrides", body)
    assert_error(response, status, "invalid", fragment)
    assert row_counts() == before


def test_on_call_needs_a_zone_aware_time(viewer_api: Api, responder_api: Api) -> None:
    people()
    schedule = create(responder_api, [layer(["ana"])])["id"]
    assert_error(
        english(viewer_api).get(f"/schedules/{schedule}/oncall", at="2026-12-01T09:00"),
        400,
        "invalid",
        "time zone",
    )
    assert_error(
        viewer_api.get(f"/schedules/{schedule}/oncall", at="0001-01-01T00:00Z"), 400, "invalid"
    )
    assert on_call(viewer_api, schedule, datetime(2026, 12, 1, tzinfo=UTC)) == ["ana"]
