"""The dashboard costs the same number of queries with 3 open incidents as with 40 (counts for
all, rows for one page), alerts, schedules and roles included."""

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kizuki.accounts.models import User
from kizuki.catalog.models import Service
from tests.alerts.support import accepted, alertmanager, am_alert, integration
from tests.conftest import Api
from tests.schedules.support import create, layer


def _fill(api: Api, count: int) -> None:
    for n in range(count):
        ref = api.post("/incidents", {"title": f"障害 {n}"}).json()["number"]
        if n % 3:  # two in three past triage, with a commander and an update
            api.post(f"/incidents/{ref}/transitions", {"to": "declared", "severity": 1 + n % 4})
            api.post(f"/incidents/{ref}/roles", {"role": "incident_commander", "user": "rei"})
            api.post(f"/incidents/{ref}/status-updates", {"text": "調査中"})


def _dashboard_queries(client: Client, headers: dict[str, str] | None = None) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/", headers=headers).status_code == 200
    return len(captured)


def test_dashboard_queries_do_not_grow_with_open_incidents(
    responder: User, responder_api: Api, admin_api: Api, service: Service
) -> None:
    path = integration(admin_api, service.pk, "alertmanager")[1]
    create(admin_api, [layer(["rei"])], name="Primary")
    create(admin_api, [layer(["aki"])], name="Secondary")
    client = Client(headers={"Accept-Language": "en"})
    client.force_login(responder)

    accepted(path, alertmanager(am_alert("fp-0"), group_key="g0"))
    _fill(responder_api, 3)
    few = _dashboard_queries(client)
    few_live = _dashboard_queries(client, {"HX-Request": "true"})

    for n in range(1, 9):
        accepted(path, alertmanager(am_alert(f"fp-{n}"), group_key=f"g{n}"))
    _fill(responder_api, 40)
    assert _dashboard_queries(client) == few
    assert _dashboard_queries(client, {"HX-Request": "true"}) == few_live
    assert few <= 28  # the incident lists plus the reports panels (trend, follow-ups, risks)
    html = client.get("/").text
    assert 'Firing alerts <span class="count">9</span>' in html
    assert 'Open incidents <span class="count">28</span>' in html
