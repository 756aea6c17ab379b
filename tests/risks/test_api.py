"""The risk API contract: a risk is recorded with its priority and next visit, changes of
impact, likelihood and status are history with their reason, visits move the next visit, bad
input is refused with a detail and changes nothing, viewers only read."""

from typing import Any

import pytest

from kizuki.accounts.models import User
from tests.conftest import Api, MovableClock
from tests.risks.support import ok, record, row_counts

pytestmark = pytest.mark.usefixtures("frozen_clock")  # 2026-11-25 10:00 in Tokyo


def test_a_risk_gets_its_priority_and_next_visit(
    responder_api: Api, service: Any, responder: User
) -> None:
    risk = record(
        responder_api,
        summary="Calls to the payment API are doubled; with twice the traffic we hit its limit.",
        services=["checkout"],
        owner="rei",
        status="in_progress",
        current_impact=3,
        potential_impact=6,
        likelihood=2,
    )
    assert risk["priority"] == 12
    assert risk["next_visit"] == "2026-12-09"  # in progress: two weeks
    assert risk["services"] == ["checkout"]
    assert risk["owner"] == "rei"
    assert risk["status"] == "in_progress"
    shown = ok(responder_api.get(f"/risks/{risk['id']}"))
    assert shown["priority"] == 12
    assert shown["current_impact"] == 3


def test_defaults_unknown_impact_and_the_next_visit_of_each_status(responder_api: Api) -> None:
    plain = record(responder_api)
    assert plain["status"] == "not_started"
    assert plain["potential_impact"] is None
    assert plain["priority"] is None
    assert plain["next_visit"] == "2026-12-09"
    watching = record(responder_api, status="watching", potential_impact="unknown")
    assert watching["next_visit"] == "2026-12-25"
    assert record(responder_api, status="interim_done")["next_visit"] == "2026-12-25"
    assert record(responder_api, status="done")["next_visit"] is None


def test_the_register_lists_open_risks_by_priority(responder_api: Api, service: Any) -> None:
    record(responder_api, "low", potential_impact=1, likelihood=1)
    record(responder_api, "top", potential_impact=6, likelihood=2, services=["checkout"])
    record(responder_api, "unknown")
    record(responder_api, "gone", potential_impact=10, likelihood=2, status="done")
    page = ok(responder_api.get("/risks"))
    assert [r["title"] for r in page["items"]] == ["top", "low", "unknown"]
    assert page["count"] == 3
    assert [r["title"] for r in ok(responder_api.get("/risks", service="checkout"))["items"]] == [
        "top"
    ]
    done = ok(responder_api.get("/risks", status="done"))["items"]
    assert [r["title"] for r in done] == ["gone"]
    assert ok(responder_api.get("/risks", status="all"))["count"] == 4


def test_changes_of_impact_and_status_are_kept_with_their_reason(
    responder_api: Api, frozen_clock: MovableClock
) -> None:
    risk = record(responder_api, status="in_progress", current_impact=6, potential_impact=6)
    frozen_clock.advance(days=3)
    changed = ok(
        responder_api.patch(
            f"/risks/{risk['id']}",
            {
                "status": "interim_done",
                "current_impact": 1,
                "likelihood": 2,
                "reason": "Removed the duplicate call (interim).",
            },
        )
    )
    assert changed["current_impact"] == 1
    assert changed["priority"] == 12
    assert changed["next_visit"] == "2026-12-28"  # interim measure done: a month from today
    history = ok(responder_api.get(f"/risks/{risk['id']}/history"))
    moves = {h["event"]: (h["previous"], h["value"], h["reason"]) for h in history}
    assert history[0]["event"] == "created"
    reason = "Removed the duplicate call (interim)."
    assert moves["current_impact"] == (6, 1, reason)
    assert moves["status"] == ("in_progress", "interim_done", reason)
    assert moves["likelihood"] == (1, 2, reason)
    assert moves["next_visit"] == ("2026-12-09", "2026-12-28", reason)
    assert all(h["actor"] == "rei" for h in history)


def test_a_visit_moves_the_next_visit(responder_api: Api, frozen_clock: MovableClock) -> None:
    risk = record(responder_api, status="in_progress")
    frozen_clock.advance(days=14)
    visited = ok(
        responder_api.post(f"/risks/{risk['id']}/visits", {"note": "Errors still at zero."}), 201
    )
    assert visited["next_visit"] == "2026-12-23"
    chosen = ok(
        responder_api.post(
            f"/risks/{risk['id']}/visits", {"note": "Checked again.", "next_visit": "2026-12-16"}
        ),
        201,
    )
    assert chosen["next_visit"] == "2026-12-16"
    visits = [
        h for h in ok(responder_api.get(f"/risks/{risk['id']}/history")) if h["event"] == "visit"
    ]
    assert [(v["previous"], v["value"], v["reason"]) for v in visits] == [
        ("2026-12-09", "2026-12-23", "Errors still at zero."),
        ("2026-12-23", "2026-12-16", "Checked again."),
    ]


@pytest.mark.parametrize(
    ("method", "body", "status"),
    [
        ("post", {"title": ""}, 400),
        ("post", {"title": "x", "potential_impact": 5}, 422),
        ("post", {"title": "x", "likelihood": 3}, 422),
        ("post", {"title": "x", "status": "closed"}, 422),
        ("post", {"title": "x", "owner": "nobody"}, 400),
        ("post", {"title": "x", "services": ["nowhere"]}, 400),
        ("post", {"title": "x", "incidents": ["INC-999"]}, 404),
        ("post", {"title": "x", "status": "in_progress", "next_visit": "2026-11-27"}, 400),
        ("post", {"title": "x", "status": "watching", "next_visit": "2027-06-01"}, 400),
        ("post", {"title": "x", "status": "done", "next_visit": "2026-12-27"}, 400),
        ("patch", {"potential_impact": 7}, 422),
        ("patch", {"title": "   "}, 400),
        ("patch", {"next_visit": "2026-11-01"}, 400),
        ("visit", {"note": ""}, 400),
        ("visit", {"note": "ok", "next_visit": "2027-12-01"}, 400),
    ],
)
def test_bad_input_is_refused_with_a_detail_and_changes_nothing(
    responder_api: Api, method: str, body: dict[str, Any], status: int
) -> None:
    risk = record(responder_api, status="in_progress")
    before = row_counts()
    if method == "post":
        response = responder_api.post("/risks", body)
    elif method == "patch":
        response = responder_api.patch(f"/risks/{risk['id']}", body)
    else:
        response = responder_api.post(f"/risks/{risk['id']}/visits", body)
    assert response.status_code == status
    assert response.json()["detail"]
    assert row_counts() == before
    assert ok(responder_api.get(f"/risks/{risk['id']}")) == risk


def test_a_done_risk_is_not_visited(responder_api: Api) -> None:
    risk = record(responder_api, status="done")
    response = responder_api.post(f"/risks/{risk['id']}/visits", {"note": "ok"})
    assert response.status_code == 409
    assert response.json()["detail"]


def test_viewers_read_and_cannot_write(
    responder_api: Api, viewer_api: Api, anonymous_api: Api
) -> None:
    risk = record(responder_api)
    before = row_counts()
    assert ok(viewer_api.get("/risks"))["count"] == 1
    assert ok(viewer_api.get(f"/risks/{risk['id']}"))["title"] == risk["title"]
    assert ok(viewer_api.get(f"/risks/{risk['id']}/history"))
    assert viewer_api.post("/risks", {"title": "mine"}).status_code == 403
    assert viewer_api.patch(f"/risks/{risk['id']}", {"status": "done"}).status_code == 403
    assert viewer_api.post(f"/risks/{risk['id']}/visits", {"note": "x"}).status_code == 403
    assert anonymous_api.get("/risks").status_code == 401
    assert row_counts() == before
    assert viewer_api.get("/risks/999999").status_code == 404


def test_the_owner_may_change_their_risk_even_as_a_viewer(
    responder_api: Api, viewer_api: Api, viewer: User
) -> None:
    risk = record(responder_api, owner=viewer.username, status="in_progress")
    ok(viewer_api.post(f"/risks/{risk['id']}/visits", {"note": "Looked at it."}), 201)
