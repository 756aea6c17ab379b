"""Helpers the response-area tests share: setting an area's chain through the API, declaring
an incident, reading the timeline in English."""

from typing import Any

from kizuki.accounts import actions as accounts
from kizuki.accounts.models import User
from tests.conftest import Api, make_user
from tests.incidents.support import english


def area_id(api: Api, slug: str) -> int:
    found = [area for area in api.get("/response-areas").json() if area["slug"] == slug]
    assert found, slug
    return int(found[0]["id"])


def set_chain(admin_api: Api, slug: str, owner: str | None, deputies: list[str]) -> dict[str, Any]:
    response = admin_api.patch(
        f"/response-areas/{area_id(admin_api, slug)}", {"owner": owner, "deputies": deputies}
    )
    assert response.status_code == 200, response.json()
    body: dict[str, Any] = response.json()
    return body


def unreachable_user(username: str) -> User:
    """A responder with no notification rule and no e-mail address: nothing can page them."""
    return accounts.create_user(username, "responder", password="x-long-password-1")


def people(*names: str) -> None:
    for name in names:
        make_user(name, "responder")


def declare(api: Api, severity: int = 3, **fields: Any) -> str:
    response = api.post("/incidents", {"title": "Bookings fail", "severity": severity, **fields})
    assert response.status_code == 201, response.json()
    return str(response.json()["number"])


def timeline_texts(api: Api, ref: str) -> list[str]:
    return [entry["text"] for entry in english(api).get(f"/incidents/{ref}/timeline").json()]


def timeline_events(api: Api, ref: str) -> list[str]:
    return [entry["event"] for entry in api.get(f"/incidents/{ref}/timeline").json()]
