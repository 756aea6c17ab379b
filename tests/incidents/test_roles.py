"""Incident roles: several per person, hand-over of single-holder roles, several investigators."""

import pytest

from kizuki.accounts.models import User
from tests.conftest import Api, MovableClock, make_user
from tests.incidents.support import assert_error, english, incident_in, row_counts


@pytest.fixture
def api(responder_api: Api) -> Api:
    return english(responder_api)


@pytest.fixture
def ref(api: Api) -> str:
    return incident_in(api, "declared")


def holders(api: Api, ref: str) -> list[tuple[str, str]]:
    return [(r["role"], r["user"]) for r in api.get(f"/incidents/{ref}/roles").json()]


def assign(api: Api, ref: str, role: str, user: str) -> dict[str, str]:
    response = api.post(f"/incidents/{ref}/roles", {"role": role, "user": user})
    assert response.status_code == 201, response.json()
    body: dict[str, str] = response.json()
    return body


def last_entry_text(api: Api, ref: str) -> str:
    text: str = api.get(f"/incidents/{ref}/timeline").json()[-1]["text"]
    return text


def test_one_person_may_hold_several_roles(frozen_clock: MovableClock, api: Api, ref: str) -> None:
    commander = assign(api, ref, "incident_commander", "rei")
    assert commander == {
        "role": "incident_commander",
        "role_name": "Incident Commander",
        "user": "rei",
        "assigned_at": "2026-11-25T01:00:00Z",
    }
    assign(api, ref, "scribe", "rei")
    assert holders(api, ref) == [("incident_commander", "rei"), ("scribe", "rei")]
    shown = api.get(f"/incidents/{ref}").json()["roles"]
    assert [(r["role"], r["user"]) for r in shown] == holders(api, ref)
    assert last_entry_text(api, ref) == "rei assigned as Scribe."


def test_a_single_holder_role_is_handed_over(
    frozen_clock: MovableClock, api: Api, ref: str, viewer_api: Api
) -> None:
    assign(api, ref, "incident_commander", "vera")
    frozen_clock.advance(minutes=20)
    handed = assign(api, ref, "incident_commander", "rei")

    assert handed["assigned_at"] == "2026-11-25T01:20:00Z"
    assert holders(api, ref) == [("incident_commander", "rei")]
    assert last_entry_text(api, ref) == "Incident Commander handed over from vera to rei."
    # vera no longer holds it: releasing her is "not held", and she cannot write to the timeline.
    assert_error(
        api.delete(f"/incidents/{ref}/roles/incident_commander/vera"), 404, "not_found", "vera"
    )
    refused = viewer_api.post(f"/incidents/{ref}/timeline", {"text": "Still here"})
    assert_error(refused, 403, "forbidden")


def test_several_people_may_investigate_at_once(api: Api, ref: str, viewer: User) -> None:
    make_user("sora", "responder")
    assign(api, ref, "investigator", "vera")
    assign(api, ref, "investigator", "sora")
    assert holders(api, ref) == [("investigator", "vera"), ("investigator", "sora")]
    assert last_entry_text(api, ref) == "sora assigned as Investigator."
    catalogue = {r["slug"]: r["allow_several"] for r in api.get("/roles").json()}
    assert catalogue["investigator"] is True
    assert catalogue["incident_commander"] is False


def test_assigning_a_role_already_held_changes_nothing(api: Api, ref: str) -> None:
    assign(api, ref, "technical_lead", "rei")
    counts = row_counts()
    assign(api, ref, "technical_lead", "rei")
    assert holders(api, ref) == [("technical_lead", "rei")]
    assert row_counts() == counts


def test_releasing_a_role(api: Api, ref: str, viewer: User) -> None:
    assign(api, ref, "investigator", "vera")
    assign(api, ref, "investigator", "rei")

    response = api.delete(f"/incidents/{ref}/roles/investigator/vera")

    assert response.status_code == 204
    assert holders(api, ref) == [("investigator", "rei")]
    assert last_entry_text(api, ref) == "vera released from Investigator."
    counts = row_counts()
    again = api.delete(f"/incidents/{ref}/roles/investigator/vera")
    assert_error(again, 404, "not_found", "vera does not hold Investigator")
    assert row_counts() == counts
