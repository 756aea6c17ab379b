"""Query budgets: the same page with a few rows and with many must cost the same number of
queries (an N+1 shows as a count that grows with the rows). The data is made through the API,
as users make it; counts are taken on the second call, once per-process caches are warm."""

import json
from collections.abc import Callable
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.conftest import Api
from tests.jobs import run_worker

FEW = 2
MANY = 22


def ok(response: Any, status: int = 201) -> Any:
    assert response.status_code == status, response.content[:500]
    return response.json()


class History:
    """Services, incidents (declared, with a commander, a status update, a follow-up and a
    retrospective), alert groups, risks, schedules, escalation policies and reviews, `grow`n
    through the API by `count` of each."""

    def __init__(self, api: Api) -> None:
        self.api = api
        self.made = 0

    def grow(self, count: int) -> None:
        for _ in range(count):
            self.made += 1
            self._one(self.made)
        run_worker()  # the search index and the other after-commit work

    def _one(self, k: int) -> None:
        api = self.api
        service = ok(api.post("/services", {"name": f"Service {k}"}))
        hook = ok(
            api.post(f"/services/{service['id']}/integrations", {"kind": "webhook", "name": "h"})
        )
        path = hook["url"].split("/api/v1", 1)[1]
        alert = json.dumps({"title": f"Disk full {k}"})
        answer = Client().post("/api/v1" + path, alert, "application/json")
        assert answer.status_code == 202, answer.content
        incident = ok(
            api.post(
                "/incidents",
                {"title": f"Checkout fails {k}", "severity": 2, "services": [service["slug"]]},
            )
        )
        ref = incident["number"]
        ok(api.post(f"/incidents/{ref}/roles", {"role": "incident_commander", "user": "aki"}))
        ok(api.post(f"/incidents/{ref}/status-updates", {"text": f"Looking into it {k}."}))
        ok(api.post(f"/incidents/{ref}/followups", {"title": f"Add an alert on queue depth {k}"}))
        ok(api.post(f"/incidents/{ref}/retrospective", {}))
        ok(api.post("/risks", {"title": f"Certificate renewal is manual {k}"}))
        ok(
            api.post(
                "/schedules",
                {
                    "name": f"Rota {k}",
                    "time_zone": "Asia/Tokyo",
                    "layers": [
                        {
                            "users": ["aki"],
                            "shift_length": "1w",
                            "handoff_time": "10:00",
                            "start": "2026-11-23T15:00:00+00:00",
                        }
                    ],
                },
            )
        )
        steps = [{"targets": [{"type": "user", "id": "aki"}], "wait_minutes": 5}]
        ok(api.post("/escalation-policies", {"name": f"Policy {k}", "steps": steps}))


def count_queries(get: Callable[[str], Any], path: str) -> int:
    """The queries of one GET of `path` (after a first, warming one), which must answer 200."""
    assert get(path).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        response = get(path)
    assert response.status_code == 200, response.content[:500]
    return len(captured)
