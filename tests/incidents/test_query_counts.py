"""Listing incidents costs the same number of queries for 2 incidents as for 12 (no N+1);
one incident costs a fixed few, and reads the same as in the list."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from kizuki.catalog import actions as catalog
from kizuki.catalog.models import Service
from tests.conftest import Api


def _fill(api: Api, count: int) -> None:
    for n in range(count):
        ref = api.post("/incidents", {"title": f"障害 {n}", "severity": 3}).json()["number"]
        api.post(f"/incidents/{ref}/roles", {"role": "incident_commander", "user": "rei"})
        api.post(f"/incidents/{ref}/status-updates", {"text": "調査中"})


def _list_queries(api: Api) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert api.get("/incidents").status_code == 200
    return len(captured)


def test_listing_queries_do_not_grow_with_rows(responder_api: Api) -> None:
    _fill(responder_api, 2)
    few = _list_queries(responder_api)
    _fill(responder_api, 10)
    many = _list_queries(responder_api)
    assert many == few
    assert responder_api.get("/incidents").json()["items"][0]["roles"][0]["user"] == "rei"


def test_one_incident_is_read_in_a_fixed_number_of_queries_and_the_list_agrees(
    responder_api: Api, service: Service
) -> None:
    catalog.create_service("search", "Search", service.team)
    bare = responder_api.post("/incidents", {"title": "重大度なし"}).json()["number"]
    ref = responder_api.post(
        "/incidents", {"title": "決済障害", "severity": 2, "services": ["search", "checkout"]}
    ).json()["number"]
    for role, user in [("incident_commander", "rei"), ("investigator", "rei")]:
        responder_api.post(f"/incidents/{ref}/roles", {"role": role, "user": user})
    responder_api.delete(f"/incidents/{ref}/roles/investigator/rei")
    for text in ["調査中", "原因を特定"]:
        responder_api.post(f"/incidents/{ref}/status-updates", {"text": text})

    with CaptureQueriesContext(connection) as captured:
        shown = responder_api.get(f"/incidents/{ref}").json()
    # The caller's token, then the incident with its severity, team, reporter and cause; its
    # services; its current roles; its latest update.
    assert len(captured) <= 6, [query["sql"] for query in captured]
    assert shown["severity"] == 2
    assert shown["services"] == ["checkout", "search"]  # by name
    assert [(r["role"], r["user"]) for r in shown["roles"]] == [("incident_commander", "rei")]
    assert shown["latest_status_update"]["text"] == "原因を特定"
    assert (shown["team"], shown["cause_category"], shown["reporter"]) == ("payments", None, "rei")
    listed = {i["number"]: i for i in responder_api.get("/incidents").json()["items"]}
    assert listed[ref] == shown
    assert listed[bare] == responder_api.get(f"/incidents/{bare}").json()
    bare_shown = [listed[bare][key] for key in ("severity", "team", "services", "roles")]
    assert bare_shown == [None, None, [], []]
