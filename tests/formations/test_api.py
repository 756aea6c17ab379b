"""Formations and checklists through the API: a declared incident gets its formation's
positions (unfilled) and its severity's checklists; responders fill positions (which are the
incident's roles) and tick items; each change is on the timeline; bad input is a 4xx."""

import json
from typing import Any

import pytest

from kizuki.formations import actions, queries
from kizuki.formations.models import IncidentChecklist
from kizuki.incidents import queries as incident_queries
from tests.conftest import Api, MovableClock, make_user
from tests.incidents.support import assert_error, english, move, report

pytestmark = pytest.mark.django_db

POSITIONS = [
    "incident_commander",
    "investigator",
    "first_aid",
    "impact_assessor",
    "root_fix_owner",
    "scribe",
    "bridge",
]


def put(api: Api, path: str, body: Any) -> Any:
    return api.client.put(
        "/api/v1" + path, json.dumps(body), "application/json", headers=api._headers()
    )


def declare(api: Api, severity: int = 3) -> str:
    response = api.post("/incidents", {"title": "Bookings fail", "severity": severity})
    assert response.status_code == 201, response.json()
    return str(response.json()["number"])


def positions(api: Api, ref: str) -> dict[str, dict[str, Any]]:
    response = api.get(f"/incidents/{ref}/positions")
    assert response.status_code == 200, response.json()
    return {item["role"]: item for item in response.json()}


def checklists(api: Api, ref: str) -> dict[str, dict[str, Any]]:
    response = api.get(f"/incidents/{ref}/checklists")
    assert response.status_code == 200, response.json()
    found = {str(item["template"]): item for item in response.json()}
    slugs = {t["id"]: t["slug"] for t in api.get("/checklist-templates").json()}
    return {slugs[int(key)]: value for key, value in found.items()}


def timeline(api: Api, ref: str) -> list[dict[str, Any]]:
    return list(english(api).get(f"/incidents/{ref}/timeline").json())


def test_the_default_formation_lists_asoviews_positions_for_every_severity(
    viewer_api: Api,
) -> None:
    response = english(viewer_api).get("/formations")
    assert response.status_code == 200
    (standard,) = response.json()
    assert standard["is_default"] is True
    assert standard["severities"] == [1, 2, 3, 4, 5]
    assert [p["role"] for p in standard["positions"]] == POSITIONS
    assert standard["positions"][0]["name"] == "Commander"
    assert standard["positions"][0]["name_ja"] == "コマンダー"
    assert all(p["duties_ja"] and p["duties_en"] for p in standard["positions"])


def test_declaring_puts_unfilled_positions_and_checklists_on_the_incident(
    responder_api: Api,
) -> None:
    ref = declare(responder_api, severity=2)
    found = positions(responder_api, ref)
    assert list(found) == POSITIONS
    assert not any(item["filled"] for item in found.values())
    assert found["incident_commander"]["single"] is True
    assert found["investigator"]["single"] is False
    lists = checklists(english(responder_api), ref)
    assert set(lists) == {"commander-start-up", "commander-conduct"}
    start_up = lists["commander-start-up"]
    assert start_up["role"] == "incident_commander"
    assert [item["text"] for item in start_up["items"]] == [
        "Declare the incident",
        "Open the incident channel",
        "Page the key people of every area",
        "Open both bridge calls (system recovery and customer response)",
    ]
    assert not any(item["ticked"] for item in start_up["items"])
    # Attaching them is not news on the timeline: it still reads as the declaration.
    events = [entry["event"] for entry in timeline(responder_api, ref)]
    assert "checklist_posted" not in events
    assert events[:2] == ["reported", "transition"]


def test_a_minor_incident_gets_only_the_checklists_of_its_severity(responder_api: Api) -> None:
    ref = declare(responder_api, severity=4)
    assert set(checklists(responder_api, ref)) == {"commander-start-up"}
    # Raised to SEV2: the commander's conduct list is added, nothing is posted twice.
    response = responder_api.patch(f"/incidents/{ref}", {"severity": 2})
    assert response.status_code == 200, response.json()
    assert set(checklists(responder_api, ref)) == {"commander-start-up", "commander-conduct"}
    # The same formation: no position is added twice.
    assert list(positions(responder_api, ref)) == POSITIONS


def test_a_report_has_no_positions_until_it_is_declared(responder_api: Api) -> None:
    ref = report(responder_api)["number"]
    assert positions(responder_api, ref) == {}
    assert move(responder_api, ref, "declared", severity=3).status_code == 200
    assert list(positions(responder_api, ref)) == POSITIONS


def test_filling_positions_assigns_the_incident_roles_and_one_person_may_hold_several(
    responder_api: Api, frozen_clock: MovableClock
) -> None:
    make_user("ken", "responder")
    make_user("mei", "responder")
    ref = declare(responder_api)
    found = positions(responder_api, ref)
    investigator = found["investigator"]["id"]
    scribe = found["scribe"]["id"]
    response = put(
        responder_api, f"/incidents/{ref}/positions/{investigator}", {"users": ["ken", "mei"]}
    )
    assert response.status_code == 200, response.json()
    assert response.json()["users"] == ["ken", "mei"]
    assert response.json()["filled"] is True
    response = put(responder_api, f"/incidents/{ref}/positions/{scribe}", {"users": ["ken"]})
    assert response.status_code == 200, response.json()
    # The roles are the positions: the incident's roles list shows them.
    roles = responder_api.get(f"/incidents/{ref}/roles").json()
    assert sorted((r["role"], r["user"]) for r in roles) == [
        ("investigator", "ken"),
        ("investigator", "mei"),
        ("scribe", "ken"),
    ]
    # Clearing: Mei leaves; the timeline says who left and who took what.
    response = put(responder_api, f"/incidents/{ref}/positions/{investigator}", {"users": ["ken"]})
    assert response.json()["users"] == ["ken"]
    events = [entry["event"] for entry in timeline(responder_api, ref)]
    assert events.count("role_assigned") == 3
    assert events.count("role_released") == 1
    after = positions(responder_api, ref)
    assert [k for k, v in after.items() if not v["filled"]] == [
        "incident_commander",
        "first_aid",
        "impact_assessor",
        "root_fix_owner",
        "bridge",
    ]


def test_the_commander_position_is_the_commander_role(responder_api: Api) -> None:
    make_user("ken", "responder")
    make_user("mei", "responder")
    ref = declare(responder_api)
    commander = positions(responder_api, ref)["incident_commander"]["id"]
    response = put(
        responder_api, f"/incidents/{ref}/positions/{commander}", {"users": ["ken", "mei"]}
    )
    assert_error(response, 400, "invalid")
    assert (
        put(
            responder_api, f"/incidents/{ref}/positions/{commander}", {"users": ["ken"]}
        ).status_code
        == 200
    )
    # Handing the commander role over elsewhere shows on the position.
    response = responder_api.post(
        f"/incidents/{ref}/roles", {"role": "incident_commander", "user": "mei"}
    )
    assert response.status_code == 201, response.json()
    assert positions(responder_api, ref)["incident_commander"]["users"] == ["mei"]
    incident = incident_queries.get_incident(ref)
    commander_user = incident_queries.commander(incident)
    assert commander_user is not None
    assert commander_user.username == "mei"
    # Filling the position with someone else hands the role over.
    response = put(responder_api, f"/incidents/{ref}/positions/{commander}", {"users": ["ken"]})
    assert response.json()["users"] == ["ken"]
    texts = [entry["text"] for entry in timeline(responder_api, ref)]
    assert texts[-1] == "Incident Commander handed over from mei to ken."


def test_ticking_items_is_on_the_timeline_with_who_and_when(
    responder_api: Api, frozen_clock: MovableClock
) -> None:
    ref = declare(responder_api)
    start_up = checklists(responder_api, ref)["commander-start-up"]
    item = start_up["items"][1]
    path = f"/incidents/{ref}/checklists/{start_up['id']}/items/{item['id']}"
    frozen_clock.advance(minutes=3)
    response = responder_api.post(f"{path}/tick")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["ticked"] is True
    assert body["ticked_by"] == responder_api.user.username  # type: ignore[union-attr]
    assert body["ticked_at"].startswith("2026-11-25T01:03:00")
    # Ticking again changes nothing.
    assert responder_api.post(f"{path}/tick").json()["ticked_at"] == body["ticked_at"]
    response = responder_api.post(f"{path}/untick")
    assert response.json()["ticked"] is False
    assert response.json()["ticked_by"] is None
    entries = [e for e in timeline(responder_api, ref) if e["event"].startswith("checklist_item")]
    assert [e["text"] for e in entries] == [
        "Ticked on Commander's start-up: Open the incident channel",
        "Unticked on Commander's start-up: Open the incident channel",
    ]
    assert entries[0]["occurred_at"].startswith("2026-11-25T01:03:00")


def test_post_checklist_is_idempotent(responder_api: Api) -> None:
    ref = declare(responder_api)
    incident = incident_queries.get_incident(ref)
    template = queries.get_template("commander-conduct")
    first = actions.post_checklist(incident, template, None)
    second = actions.post_checklist(incident, template, None)
    assert first.pk == second.pk
    assert IncidentChecklist.objects.filter(incident=incident, template=template).count() == 1
    events = [entry["event"] for entry in timeline(responder_api, ref)]
    assert "checklist_posted" not in events  # Kizuki posted them, not a person
    # Through the API: an existing one answers 200, a new one 201.
    assert (
        responder_api.post(
            f"/incidents/{ref}/checklists", {"template": "commander-conduct"}
        ).status_code
        == 200
    )


def test_a_template_not_attached_on_declaration_is_posted_by_hand(
    responder_api: Api, admin: Any
) -> None:
    template = queries.get_template("commander-conduct")
    template.attach_on_declare = False
    template.save()
    ref = declare(responder_api, severity=1)
    assert set(checklists(responder_api, ref)) == {"commander-start-up"}
    response = responder_api.post(f"/incidents/{ref}/checklists", {"template": "commander-conduct"})
    assert response.status_code == 201, response.json()
    assert response.json()["posted_by"] == responder_api.user.username  # type: ignore[union-attr]
    assert len(response.json()["items"]) == 7
    texts = [entry["text"] for entry in timeline(responder_api, ref)]
    assert "Checklist How the commander works posted for the Incident Commander (7 items)." in texts
    # Posting it again answers the one already there and writes nothing.
    again = responder_api.post(f"/incidents/{ref}/checklists", {"template": "commander-conduct"})
    assert again.status_code == 200
    assert again.json()["id"] == response.json()["id"]
    events = [entry["event"] for entry in timeline(responder_api, ref)]
    assert events.count("checklist_posted") == 1


def test_viewers_read_but_do_not_change(responder_api: Api, viewer_api: Api) -> None:
    make_user("ken", "responder")
    ref = declare(responder_api)
    position = positions(viewer_api, ref)["scribe"]["id"]
    start_up = checklists(viewer_api, ref)["commander-start-up"]
    item = start_up["items"][0]["id"]
    assert_error(
        put(viewer_api, f"/incidents/{ref}/positions/{position}", {"users": ["ken"]}),
        403,
        "forbidden",
    )
    assert_error(
        viewer_api.post(f"/incidents/{ref}/checklists/{start_up['id']}/items/{item}/tick"),
        403,
        "forbidden",
    )
    assert_error(
        viewer_api.post(f"/incidents/{ref}/checklists", {"template": "commander-conduct"}),
        403,
        "forbidden",
    )


def test_anonymous_callers_are_refused(anonymous_api: Api) -> None:
    assert anonymous_api.get("/formations").status_code == 401
    assert anonymous_api.get("/checklist-templates").status_code == 401


def test_bad_input_is_a_4xx_with_detail(responder_api: Api) -> None:
    ref = declare(responder_api)
    found = positions(responder_api, ref)
    scribe = found["scribe"]["id"]
    start_up = checklists(responder_api, ref)["commander-start-up"]
    assert_error(
        put(responder_api, f"/incidents/{ref}/positions/{scribe}", {"users": ["nobody"]}),
        400,
        "invalid",
        "nobody",
    )
    assert_error(
        put(responder_api, f"/incidents/{ref}/positions/999999", {"users": []}), 404, "not_found"
    )
    assert (
        put(responder_api, f"/incidents/{ref}/positions/{scribe}", {"users": "ken"}).status_code
        == 422
    )
    assert_error(
        responder_api.post(f"/incidents/{ref}/checklists/{start_up['id']}/items/999999/tick"),
        404,
        "not_found",
    )
    assert_error(
        responder_api.post(f"/incidents/{ref}/checklists/999999/items/1/tick"), 404, "not_found"
    )
    assert_error(
        responder_api.post(f"/incidents/{ref}/checklists", {"template": "no-such"}),
        404,
        "not_found",
    )
    assert_error(responder_api.get("/incidents/INC-99999/positions"), 404, "not_found")
    # Another incident's checklist item is not found through this one.
    other = declare(responder_api)
    other_list = checklists(responder_api, other)["commander-start-up"]
    assert_error(
        responder_api.post(
            f"/incidents/{ref}/checklists/{other_list['id']}/items/{other_list['items'][0]['id']}/tick"
        ),
        404,
        "not_found",
    )


def test_a_closed_incident_cannot_be_changed(responder_api: Api) -> None:
    make_user("ken", "responder")
    ref = declare(responder_api)
    scribe = positions(responder_api, ref)["scribe"]["id"]
    start_up = checklists(responder_api, ref)["commander-start-up"]
    for to in ("mitigated", "resolved", "closed"):
        response = move(responder_api, ref, to)
        assert response.status_code == 200, response.json()
    assert_error(
        put(responder_api, f"/incidents/{ref}/positions/{scribe}", {"users": ["ken"]}),
        409,
        "conflict",
    )
    item = start_up["items"][0]["id"]
    assert_error(
        responder_api.post(f"/incidents/{ref}/checklists/{start_up['id']}/items/{item}/tick"),
        409,
        "conflict",
    )
