"""Escalation policies over the API: the round trip, edits, deletes, bad input and who may."""

from typing import Any

import pytest

from kizuki.accounts import actions as accounts
from kizuki.accounts.models import User
from kizuki.catalog import actions as catalog
from kizuki.catalog.models import Service
from kizuki.core.models import AuditEntry
from kizuki.oncall.models import EscalationPolicy, EscalationStep, StepTarget
from kizuki.schedules.actions import LayerInput, create_schedule
from tests.conftest import Api, api_for, make_user
from tests.incidents.support import assert_error, call, english
from tests.notify.support import create_policy, put, step

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(responder: User) -> dict[str, Any]:
    """A team with rei in it, and a schedule."""
    team = accounts.create_team("payments", "Payments")
    accounts.add_member(team, responder)
    schedule = create_schedule(
        None, "Primary", "Asia/Tokyo", [LayerInput(users=["rei"], shift_length="1w")]
    )
    return {"team": team, "schedule": schedule}


def full_policy(schedule_id: int) -> dict[str, Any]:
    return {
        "name": "Checkout",
        "team": "payments",
        "repeat": 2,
        "steps": [
            step(("schedule", "Primary"), ("user", "rei"), wait=10),
            step(("team", "payments"), ("channel", "#ops"), wait=15),
            step(("everyone", None), ("schedule", schedule_id), wait=0),
        ],
    }


def rows() -> dict[str, int]:
    models = (EscalationPolicy, EscalationStep, StepTarget, AuditEntry)
    return {model.__name__: model.objects.count() for model in models}


def test_a_policy_round_trips_with_the_ids_people_type(
    admin_api: Api, world: dict[str, Any]
) -> None:
    schedule_id = world["schedule"].pk
    created = create_policy(admin_api, **full_policy(schedule_id))
    assert created["name"] == "Checkout"
    assert (created["team"], created["repeat"]) == ("payments", 2)
    assert [s["wait_minutes"] for s in created["steps"]] == [10, 15, 0]
    assert [[(t["type"], t["id"]) for t in s["targets"]] for s in created["steps"]] == [
        [("schedule", schedule_id), ("user", "rei")],
        [("team", "payments"), ("channel", "#ops")],
        [("everyone", None), ("schedule", schedule_id)],
    ]
    assert created["steps"][0]["targets"][0]["label"] == "Primary"

    assert admin_api.get(f"/escalation-policies/{created['id']}").json() == created
    listed = admin_api.get("/escalation-policies").json()
    assert (listed["count"], listed["pages"], listed["items"]) == (1, 1, [created])

    # What GET returns can be PUT back unchanged.
    again = put(admin_api, f"/escalation-policies/{created['id']}", created)
    assert again.status_code == 200, again.json()
    assert again.json() == created


def test_an_edit_replaces_the_steps_and_is_audited(
    admin_api: Api, admin: User, world: dict[str, Any]
) -> None:
    created = create_policy(admin_api, **full_policy(world["schedule"].pk))
    response = put(
        admin_api,
        f"/escalation-policies/{created['id']}",
        {"name": "Checkout (new)", "steps": [step(("user", "aki"), wait=3)]},
    )
    assert response.status_code == 200, response.json()
    edited = response.json()
    assert (edited["name"], edited["team"], edited["repeat"]) == ("Checkout (new)", None, 0)
    assert [[t["id"] for t in s["targets"]] for s in edited["steps"]] == [["aki"]]
    assert EscalationStep.objects.count() == 1
    audit = AuditEntry.objects.get(action="escalation_policy.update")
    assert audit.actor == admin
    assert audit.before is not None
    assert audit.after is not None
    assert (audit.before["name"], audit.after["name"]) == ("Checkout", "Checkout (new)")
    assert audit.after["steps"] == [
        {"wait_minutes": 3, "targets": [{"type": "user", "id": "aki", "label": "aki"}]}
    ]


def test_a_policy_in_use_by_a_service_is_not_deleted(admin_api: Api, service: Service) -> None:
    created = create_policy(admin_api, "Checkout", [step(("user", "aki"))])
    policy = EscalationPolicy.objects.get(pk=created["id"])
    catalog.update_service(None, service, {"escalation_policy": policy})
    path = f"/escalation-policies/{created['id']}"
    assert_error(english(admin_api).delete(path), 409, "conflict", "services")

    catalog.update_service(None, service, {"escalation_policy": None})
    assert admin_api.delete(path).status_code == 204
    assert_error(admin_api.get(path), 404, "not_found")
    deleted = AuditEntry.objects.get(action="escalation_policy.delete").before
    assert deleted is not None
    assert deleted["name"] == "Checkout"
    assert not StepTarget.objects.exists()


BAD_STEPS = [
    ([step(("user", "nobody"))], 400, "Unknown user nobody"),
    ([step(("schedule", "Nights"))], 400, "Unknown schedule Nights"),
    ([step(("schedule", 999))], 400, "Unknown schedule 999"),
    ([step(("team", "ghosts"))], 400, "Unknown team ghosts"),
    ([step(("user", None))], 400, "needs an id"),
    ([step(("channel", " "))], 400, "needs an id"),
    ([step(("pager", "rei"))], 422, "type"),
    ([{"targets": [], "wait_minutes": 5}], 422, "targets"),
    ([], 422, "steps"),
    ([step(("user", "rei"), wait=-1)], 422, "wait_minutes"),
    ([step(("user", "rei"), wait=100_000)], 422, "wait_minutes"),
    # A good first step does not save a bad second one: nothing is written.
    ([step(("user", "rei")), step(("team", "ghosts"))], 400, "Unknown team ghosts"),
]


@pytest.mark.parametrize(("steps", "status", "fragment"), BAD_STEPS)
def test_bad_steps_are_refused_and_nothing_is_created(
    admin_api: Api, world: dict[str, Any], steps: list[Any], status: int, fragment: str
) -> None:
    before = rows()
    response = english(admin_api).post("/escalation-policies", {"name": "Bad", "steps": steps})
    assert_error(response, status, "invalid", fragment)
    assert rows() == before


def test_other_bad_input(admin_api: Api, world: dict[str, Any]) -> None:
    api = english(admin_api)
    good = [step(("user", "rei"))]
    create_policy(admin_api, "Checkout", good)
    before = rows()
    duplicate = api.post("/escalation-policies", {"name": "Checkout", "steps": good})
    assert_error(duplicate, 409, "conflict", "already exists")
    unknown_team = api.post("/escalation-policies", {"name": "X", "team": "nope", "steps": good})
    assert_error(unknown_team, 400, "invalid", "Unknown team nope")
    too_many = api.post("/escalation-policies", {"name": "X", "repeat": 11, "steps": good})
    assert_error(too_many, 422, "invalid", "repeat")
    blank = api.post("/escalation-policies", {"name": "   ", "steps": good})
    assert_error(blank, 400, "invalid", "name")
    assert_error(api.get("/escalation-policies/999"), 404, "not_found")
    assert_error(
        put(api, "/escalation-policies/999", {"name": "X", "steps": good}), 404, "not_found"
    )
    assert rows() == before


ENDPOINTS: list[tuple[str, str, dict[str, Any]]] = [
    ("get", "/escalation-policies", {}),
    ("post", "/escalation-policies", {"name": "New", "steps": [step(("user", "rei"))]}),
    ("get", "/escalation-policies/{id}", {}),
    ("put", "/escalation-policies/{id}", {"name": "Renamed", "steps": [step(("user", "rei"))]}),
    ("delete", "/escalation-policies/{id}", {}),
    ("post", "/users/rei/test-page", {}),
]


def request(api: Api, method: str, path: str, body: dict[str, Any]) -> Any:
    return put(api, path, body) if method == "put" else call(api, method, path, body)


@pytest.fixture
def policy_id(admin_api: Api, world: dict[str, Any]) -> int:
    created = create_policy(admin_api, "Checkout", [step(("user", "rei"))], team="payments")
    return int(created["id"])


@pytest.mark.parametrize(("method", "path", "body"), ENDPOINTS)
def test_anonymous_callers_are_turned_away(
    anonymous_api: Api, policy_id: int, method: str, path: str, body: dict[str, Any]
) -> None:
    before = rows()
    response = request(anonymous_api, method, path.format(id=policy_id), body)
    assert_error(response, 401, "unauthenticated")
    assert rows() == before


@pytest.mark.parametrize(("method", "path", "body"), ENDPOINTS[1:])
def test_viewers_read_policies_but_change_nothing(
    viewer_api: Api, policy_id: int, method: str, path: str, body: dict[str, Any]
) -> None:
    assert viewer_api.get("/escalation-policies").status_code == 200
    before = rows()
    response = request(english(viewer_api), method, path.format(id=policy_id), body)
    if method == "get":
        assert response.status_code == 200
    else:
        assert_error(response, 403, "forbidden")
    assert rows() == before


def test_team_leads_manage_their_own_teams_policies_only(
    responder_api: Api, responder: User, admin_api: Api, policy_id: int, world: dict[str, Any]
) -> None:
    body = {"name": "Checkout", "team": "payments", "steps": [step(("user", "rei"))]}
    path = f"/escalation-policies/{policy_id}"
    # A plain member may not change the team's policy…
    assert_error(put(english(responder_api), path, body), 403, "forbidden", "leads")
    accounts.add_member(world["team"], make_user("lee", "responder"), is_lead=True)
    lead = api_for(User.objects.get(username="lee"))
    # …its lead may, but may not give it away, nor make policies for no team or other teams.
    assert put(lead, path, {**body, "repeat": 1}).status_code == 200
    accounts.create_team("search", "Search")
    assert_error(put(lead, path, {**body, "team": "search"}), 403, "forbidden")
    no_team = {"name": "Mine", "steps": body["steps"]}
    assert_error(lead.post("/escalation-policies", no_team), 403, "forbidden")
    assert lead.post("/escalation-policies", {**no_team, "team": "payments"}).status_code == 201
    assert lead.delete(path).status_code == 204
    # Admins manage any policy.
    theirs = {**no_team, "name": "Search", "team": "search"}
    assert admin_api.post("/escalation-policies", theirs).status_code == 201


def test_test_pages_go_to_yourself_or_anyone_for_admins(
    responder_api: Api, viewer_api: Api, admin_api: Api, responder: User
) -> None:
    assert responder_api.post("/users/rei/test-page").status_code == 202
    assert viewer_api.post("/users/vera/test-page").json()["pages"] == 1
    assert_error(english(viewer_api).post("/users/rei/test-page"), 403, "forbidden")
    assert admin_api.post("/users/rei/test-page").status_code == 202
    assert_error(admin_api.post("/users/nobody/test-page"), 404, "not_found")
    accounts.create_user("mute", "responder")
    assert_error(english(admin_api).post("/users/mute/test-page"), 400, "invalid", "no e-mail")
