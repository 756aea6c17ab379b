"""Listing incidents costs the same number of queries for 2 incidents as for 12 (no N+1)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

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
