"""GET /readiness?team=… lists a team's real gaps: people on call whom a page cannot reach,
times nobody is on call in the next two weeks, areas without an owner or deputies, no recent
drill or test page. Each gap goes away once it is fixed."""

from typing import Any

import pytest

from kizuki.accounts.models import User
from tests.areas.support import set_chain
from tests.conftest import Api, MovableClock, api_for
from tests.incidents.support import assert_error, english
from tests.notify.support import add_rule
from tests.readiness.support import codes, gaps, person, schedule, team_with, unreachable

pytestmark = pytest.mark.django_db

AREAS = ["customers-guests", "customers-partners", "system", "bridge"]


@pytest.fixture
def payments(admin: User, frozen_clock: MovableClock) -> dict[str, User]:
    """Team payments: ana (nothing reaches her), ben (e-mail only), chie (a notification rule).
    Their weekly rotation only starts on Friday 2026-11-27 09:00 JST, two days from now."""
    people = {"ana": unreachable("ana"), "ben": person("ben"), "chie": person("chie")}
    team_with("payments", *people.values())
    admin_api = api_for(admin)
    add_rule(admin_api, people["chie"], "email")
    schedule(admin_api, "payments", ["ana", "ben", "chie"], start="2026-11-27")
    return people


def by_code(found: list[dict[str, Any]], code: str) -> list[dict[str, Any]]:
    return [gap for gap in found if gap["code"] == code]


def test_the_gaps_of_a_team_are_real_and_link_to_their_fix(
    admin_api: Api, payments: dict[str, User]
) -> None:
    found = gaps(english(admin_api), team="payments")

    [hole] = by_code(found, "schedule_gap")
    assert hole["schedule"] == "payments primary"
    assert hole["starts_at"].startswith("2026-11-25T01:00")
    assert hole["ends_at"].startswith("2026-11-27T00:00")  # 09:00 in Tokyo
    assert "nobody is on call from 2026-11-25 10:00 to 2026-11-27 09:00" in hole["message"]
    assert hole["link"] == f"/schedules/{hole['schedule_id']}/"

    [nothing] = by_code(found, "oncall_unreachable")
    assert nothing["user"] == "ana"
    assert "no page can reach them" in nothing["message"]
    [mail_only] = by_code(found, "oncall_email_only")
    assert mail_only["user"] == "ben"
    assert "only by e-mail" in mail_only["message"]
    # chie is reachable; and her shift is beyond the two weeks checked anyway.
    assert all(gap.get("user") != "chie" for gap in found)

    assert sorted(g["area"] for g in by_code(found, "area_without_owner")) == sorted(AREAS)
    assert sorted(g["area"] for g in by_code(found, "area_without_deputies")) == sorted(AREAS)
    assert by_code(found, "area_without_owner")[0]["link"].startswith("/settings/areas/#")
    [drill] = by_code(found, "no_recent_drill")
    assert drill["message"] == "No drill in the last 180 days."
    assert by_code(found, "no_recent_test_page")[0]["link"] == "/drills/#test-pages"


def test_fixing_each_gap_makes_it_go_away(
    admin_api: Api, payments: dict[str, User], frozen_clock: MovableClock
) -> None:
    add_rule(admin_api, payments["ben"], "email")
    api_for(payments["ana"])  # she can log in; she still cannot be paged
    add_rule(admin_api, payments["ana"], "email", address="ana@example.test")
    for slug in AREAS:
        set_chain(admin_api, slug, "chie", ["ben"])
    response = admin_api.post("/test-pages", {"target": {"type": "user", "id": "chie"}})
    assert response.status_code == 201, response.json()
    # Two days on, the rotation has started and covers the whole fortnight ahead.
    frozen_clock.advance(days=2)

    assert codes(admin_api, team="payments") == ["no_recent_drill"]
    body = admin_api.get("/readiness", team="payments").json()
    assert body["team"] == {"slug": "payments", "name": "Payments"}
    assert body["last_test_page"]["target"] == "chie"
    assert body["last_test_page"]["acknowledged_at"] is None
    assert body["last_drill"] is None

    # A test page older than 30 days is a gap again.
    frozen_clock.advance(days=31)
    assert "no_recent_test_page" in codes(admin_api, team="payments")


def test_a_team_without_a_schedule_has_that_gap(admin_api: Api, frozen_clock: MovableClock) -> None:
    team_with("support", person("sora"))
    found = gaps(english(admin_api), team="support")
    [gap] = by_code(found, "no_schedule")
    assert gap["link"] == "/schedules/new/"
    assert "no on-call schedule" in gap["message"]


def test_without_a_team_the_reader_sees_their_own_team(
    payments: dict[str, User], frozen_clock: MovableClock
) -> None:
    ben = api_for(payments["ben"])
    body = ben.get("/readiness").json()
    assert body["team"]["slug"] == "payments"
    # His own missing rule links to his notification settings.
    [mine] = by_code(body["gaps"], "oncall_email_only")
    assert mine["link"] == "/account/notifications/"


def test_the_gaps_are_the_same_whichever_language_is_read(
    admin_api: Api, payments: dict[str, User]
) -> None:
    english_text = {g["code"]: g["message"] for g in gaps(english(admin_api), team="payments")}
    japanese = admin_api.client.get(
        "/api/v1/readiness",
        {"team": "payments"},
        headers={"Authorization": f"Bearer {admin_api.token}", "Accept-Language": "ja"},
    ).json()
    # The same gaps, each worded for its reader (the wording comes from the catalogue).
    assert {g["code"] for g in japanese["gaps"]} == set(english_text)
    assert all(g["message"] for g in japanese["gaps"])


def test_unknown_team_and_anonymous_are_refused(
    viewer_api: Api, anonymous_api: Api, payments: dict[str, User]
) -> None:
    assert_error(english(viewer_api).get("/readiness", team="nope"), 400, "invalid", "nope")
    assert viewer_api.get("/readiness", team="payments").status_code == 200
    assert anonymous_api.get("/readiness", team="payments").status_code == 401
