"""Performance Reviews through the API: a review's agenda keeps earlier findings until they are
resolved or watched; a finding investigated for a week (the clock moved), not solved at the
root, with potential impact 3 or more is proposed and promoted to a risk in one call, its
notes carried over; otherwise promotion is refused with the reasons and changes nothing."""

from typing import Any

import pytest
from django.test import Client

from kizuki.accounts.models import User
from tests.conftest import Api, MovableClock, api_for
from tests.risks.support import ok, row_counts

pytestmark = pytest.mark.usefixtures("frozen_clock")  # 2026-11-25 in Tokyo


@pytest.fixture
def responder_api(responder: User) -> Api:
    """The responder, reading answers in English (the reasons of a refusal are asserted)."""
    api = api_for(responder)
    api.client = Client(headers={"Accept-Language": "en"})
    return api


def finding(api: Api, review_id: int, title: str, **fields: Any) -> dict[str, Any]:
    body: dict[str, Any] = ok(
        api.post(f"/reviews/{review_id}/findings", {"title": title, **fields}), 201
    )
    return body


def test_a_finding_investigated_for_a_week_is_promoted_to_a_risk(
    responder_api: Api, frozen_clock: MovableClock
) -> None:
    review = ok(responder_api.post("/reviews", {"minutes": "API errors up on payments."}), 201)
    assert review["held_on"] == "2026-11-25"
    found = finding(
        responder_api,
        review["id"],
        "External API errors on checkout",
        link="https://grafana.example.com/d/payments",
        assignee="rei",
        status="investigating",
    )
    assert found["proposed"] is False
    changed = ok(
        responder_api.patch(
            f"/findings/{found['id']}",
            {"note": "Calls are doubled; with scale we hit the limit.", "potential_impact": 6},
        )
    )
    assert changed["potential_impact"] == 6
    refused = responder_api.post(f"/findings/{found['id']}/promote", {"likelihood": 2})
    assert refused.status_code == 409
    assert "less than a week" in refused.json()["detail"]

    frozen_clock.advance(days=7)
    later = ok(responder_api.post("/reviews", {}), 201)
    agenda = [f["title"] for f in later["agenda"]]
    assert agenda == ["External API errors on checkout"]  # still on the agenda
    assert later["agenda"][0]["proposed"] is True
    risk = ok(responder_api.post(f"/findings/{found['id']}/promote", {"likelihood": 2}), 201)
    assert risk["title"] == "External API errors on checkout"
    assert risk["priority"] == 12
    assert risk["owner"] == "rei"
    assert risk["status"] == "in_progress"
    assert risk["next_visit"] == "2026-12-16"  # in progress: two weeks from today
    assert "https://grafana.example.com/d/payments" in risk["noticed"]
    assert "rei: Calls are doubled; with scale we hit the limit." in risk["noticed"]
    history = ok(responder_api.get(f"/risks/{risk['id']}/history"))
    assert history[0]["event"] == "created"
    assert "2026-11-25" in history[0]["reason"]
    reviews = ok(responder_api.get("/reviews"))["items"]
    promoted = reviews[1]["agenda"][0]
    assert promoted["status"] == "promoted"
    assert promoted["risk"] == risk["id"]
    # Promoted during the later review: its agenda keeps it, as it was discussed there...
    assert reviews[0]["agenda"][0]["status"] == "promoted"
    # ...and the next review's agenda has it no longer.
    frozen_clock.advance(days=7)
    assert ok(responder_api.post("/reviews", {}), 201)["agenda"] == []
    again = responder_api.post(f"/findings/{found['id']}/promote", {"likelihood": 2})
    assert again.status_code == 409


@pytest.mark.parametrize(
    ("fields", "why"),
    [
        ({"potential_impact": 1}, "cannot reach 3"),
        ({}, "not known yet"),
        ({"potential_impact": 6, "status": "resolved"}, "solved at the root"),
    ],
)
def test_a_finding_outside_the_entry_criteria_is_not_promoted(
    responder_api: Api, frozen_clock: MovableClock, fields: dict[str, Any], why: str
) -> None:
    review = ok(responder_api.post("/reviews", {}), 201)
    found = finding(responder_api, review["id"], "Memory climbs", **fields)
    frozen_clock.advance(days=8)
    before = row_counts()
    response = responder_api.post(f"/findings/{found['id']}/promote", {})
    assert response.status_code == 409
    assert why in response.json()["detail"]
    assert row_counts() == before


def test_bad_input_and_viewers_are_refused(responder_api: Api, viewer_api: Api) -> None:
    review = ok(responder_api.post("/reviews", {}), 201)
    assert responder_api.post(f"/reviews/{review['id']}/findings", {"title": ""}).status_code == 400
    bad_link = responder_api.post(
        f"/reviews/{review['id']}/findings", {"title": "x", "link": "javascript:alert(1)"}
    )
    assert bad_link.status_code == 400
    assert bad_link.json()["detail"]
    assert responder_api.post("/reviews/999/findings", {"title": "x"}).status_code == 404
    assert viewer_api.get("/reviews").status_code == 200
    assert viewer_api.post("/reviews", {}).status_code == 403
    assert viewer_api.post(f"/reviews/{review['id']}/findings", {"title": "x"}).status_code == 403
