"""Follow-ups are found by Kizuki's search once the worker indexed them (after the change
committed), and found again with their new words after an edit."""

import pytest

from tests.conftest import Api
from tests.followups.support import english, ok, resolved_incident, write
from tests.jobs import run_queued_jobs

pytestmark = pytest.mark.usefixtures("frozen_clock")


def test_follow_ups_are_searchable(responder_api: Api, viewer_api: Api) -> None:
    api = english(responder_api)
    ref = resolved_incident(api)
    followup = write(
        api,
        ref,
        "Partition pruning check",
        owner="rei",
        description="Find the queries that scan every partition",
    )
    run_queued_jobs()
    found = ok(viewer_api.get("/search", q="partition", kind="followup"))
    assert [hit["url"] for hit in found["items"]] == [followup["url"]]
    ok(api.patch(f"/followups/{followup['id']}", {"title": "レプリカへの切り替え"}))
    run_queued_jobs()
    assert ok(viewer_api.get("/search", q="レプリカ", kind="followup"))["count"] == 1
