"""Helpers the readiness tests share: a team with an on-call schedule made through the API,
people with and without a way to be paged, declaring an incident and reading its timeline."""

from typing import Any

from kizuki.accounts import actions as accounts
from kizuki.accounts.models import Team, User
from tests.conftest import Api, make_user
from tests.incidents.support import english


def team_with(slug: str, *people: User) -> Team:
    team = accounts.create_team(slug, slug.capitalize())
    for person in people:
        accounts.add_member(team, person)
    return team


def unreachable(username: str) -> User:
    """Active, but without a notification rule or an e-mail address: no page reaches them."""
    return accounts.create_user(username, "responder", password="x-long-password-1")


def schedule(api: Api, team: str, users: list[str], start: str = "2026-11-01", **extra: Any) -> int:
    response = api.post(
        "/schedules",
        {
            "name": extra.pop("name", f"{team} primary"),
            "time_zone": "Asia/Tokyo",
            "team": team,
            "layers": [
                {"users": users, "shift_length": "1w", "handoff_time": "09:00", "start": start}
            ],
        },
    )
    assert response.status_code == 201, response.json()
    return int(response.json()["id"])


def gaps(api: Api, **params: Any) -> list[dict[str, Any]]:
    response = api.get("/readiness", **params)
    assert response.status_code == 200, response.json()
    found: list[dict[str, Any]] = response.json()["gaps"]
    return found


def codes(api: Api, **params: Any) -> list[str]:
    return [gap["code"] for gap in gaps(api, **params)]


def declare(api: Api, severity: int = 3, **fields: Any) -> str:
    response = api.post("/incidents", {"title": "Bookings fail", "severity": severity, **fields})
    assert response.status_code == 201, response.json()
    return str(response.json()["number"])


def command(api: Api, ref: str, username: str) -> None:
    response = api.post(f"/incidents/{ref}/roles", {"role": "incident_commander", "user": username})
    assert response.status_code == 201, response.json()


def timeline(api: Api, ref: str) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = english(api).get(f"/incidents/{ref}/timeline").json()
    return entries


def events(api: Api, ref: str) -> list[str]:
    return [entry["event"] for entry in timeline(api, ref)]


def person(name: str, role: str = "responder") -> User:
    return make_user(name, role)
