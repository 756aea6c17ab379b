"""Read-throughs before a peak period: admins write the checklist for a team, its members mark
"I have read it", and the team's readiness shows who read it and who has not."""

from typing import Any

import pytest

from kizuki.accounts.models import User
from tests.conftest import Api, MovableClock, api_for
from tests.incidents.support import assert_error, english
from tests.readiness.support import codes, person, team_with

pytestmark = pytest.mark.django_db

ITEMS = [
    "The start-up flow: declare, open the channel, page, open both bridge calls",
    "Who leads which area during the holidays",
    "How to page the on-call person",
    "Where the bridge calls are",
]


@pytest.fixture
def payments(admin: User, frozen_clock: MovableClock) -> dict[str, User]:
    people = {name: person(name) for name in ("ken", "mei")}
    team_with("payments", *people.values())
    return people


def golden_week(api: Api, **fields: Any) -> Any:
    return api.post(
        "/read-throughs",
        {
            "period": "golden_week",
            "starts_on": "2027-04-29",
            "ends_on": "2027-05-05",
            "team": "payments",
            "items": ITEMS,
            **fields,
        },
    )


def test_members_mark_it_read_and_the_team_sees_who_has_not(
    admin_api: Api, payments: dict[str, User]
) -> None:
    response = english(admin_api).post(
        "/read-throughs",
        {
            "period": "golden_week",
            "starts_on": "2027-04-29",
            "ends_on": "2027-05-05",
            "team": "payments",
            "items": [*ITEMS, "  "],
        },
    )
    assert response.status_code == 201, response.json()
    created = response.json()
    assert created["name"] == "Golden Week"  # the period's name when none is given
    assert created["items"] == ITEMS  # blank lines dropped
    assert created["not_read"] == ["ken", "mei"]
    assert "read_through_unread" in codes(admin_api, team="payments")

    ken = api_for(payments["ken"])
    read = ken.post(f"/read-throughs/{created['id']}/read")
    assert read.status_code == 200, read.json()
    again = ken.post(f"/read-throughs/{created['id']}/read").json()
    assert [r["user"] for r in again["read_by"]] == ["ken"]  # once, the first time kept
    assert again["read_by"][0]["read_at"].startswith("2026-11-25T01:00")
    assert again["not_read"] == ["mei"]

    body = english(admin_api).get("/readiness", team="payments").json()
    assert body["read_through"]["id"] == created["id"]
    [gap] = [g for g in body["gaps"] if g["code"] == "read_through_unread"]
    assert gap["users"] == ["mei"]
    assert "mei have not yet read “Golden Week”" in gap["message"]

    api_for(payments["mei"]).post(f"/read-throughs/{created['id']}/read")
    assert "read_through_unread" not in codes(admin_api, team="payments")


def test_the_next_peak_period_is_shown_and_a_past_one_is_not(
    admin_api: Api, payments: dict[str, User], frozen_clock: MovableClock
) -> None:
    year_end = admin_api.post(
        "/read-throughs",
        {
            "period": "year_end",
            "starts_on": "2026-12-28",
            "ends_on": "2027-01-04",
            "team": "payments",
            "items": ITEMS,
        },
    ).json()
    golden_week(admin_api)
    body = admin_api.get("/readiness", team="payments").json()
    assert body["read_through"]["id"] == year_end["id"]
    frozen_clock.advance(days=45)  # 2027-01-09: the year end is over
    body = admin_api.get("/readiness", team="payments").json()
    assert body["read_through"]["period"] == "golden_week"
    upcoming = admin_api.get("/read-throughs", team="payments", upcoming="true").json()
    assert [item["period"] for item in upcoming] == ["golden_week"]


def test_a_custom_period_needs_a_name_and_sane_dates(
    admin_api: Api, responder_api: Api, payments: dict[str, User]
) -> None:
    api = english(admin_api)
    assert_error(golden_week(api, period="custom"), 400, "invalid", "name")
    assert_error(golden_week(api, ends_on="2027-04-01"), 400, "invalid", "end")
    assert_error(golden_week(api, team="nope"), 400, "invalid", "nope")
    assert_error(golden_week(api, items=[]), 400, "invalid", "item")
    assert_error(golden_week(api, period="spring"), 400, "invalid", "spring")
    assert_error(golden_week(responder_api), 403, "forbidden")
    custom = golden_week(api, period="custom", name="Black Friday sale")
    assert custom.status_code == 201, custom.json()
    assert custom.json()["name"] == "Black Friday sale"
    assert_error(api.post("/read-throughs/999/read"), 404, "not_found")
