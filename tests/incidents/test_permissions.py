"""Who may call which endpoint: anonymous callers, viewers, responders and admins."""

from typing import Any

import pytest
from django.test import Client

from kizuki.core.models import AuditEntry
from tests.conftest import Api
from tests.incidents.support import (
    assert_error,
    call,
    english,
    incident_in,
    look,
    move,
    report,
    row_counts,
)

# Every endpoint under /api/v1 except /health and the OpenAPI document, on incident INC-1.
ENDPOINTS: list[tuple[str, str, dict[str, Any]]] = [
    ("get", "/incidents", {}),
    ("post", "/incidents", {"title": "Checkout fails"}),
    ("get", "/incidents/INC-1", {}),
    ("patch", "/incidents/INC-1", {"title": "Renamed"}),
    ("post", "/incidents/INC-1/transitions", {"to": "mitigated"}),
    ("get", "/incidents/INC-1/roles", {}),
    ("post", "/incidents/INC-1/roles", {"role": "scribe", "user": "rei"}),
    ("delete", "/incidents/INC-1/roles/incident_commander/rei", {}),
    ("get", "/incidents/INC-1/timeline", {}),
    ("post", "/incidents/INC-1/timeline", {"text": "Looking at the logs"}),
    ("patch", "/incidents/INC-1/timeline/1", {"text": "Edited"}),
    ("delete", "/incidents/INC-1/timeline/1", {}),
    ("get", "/incidents/INC-1/status-updates", {}),
    ("post", "/incidents/INC-1/status-updates", {"text": "Still investigating"}),
    ("get", "/severities", {}),
    ("patch", "/severities/2", {"name_en": "Serious"}),
    ("get", "/roles", {}),
]


@pytest.fixture
def running(responder_api: Api) -> str:
    """INC-1, declared, with rei as incident commander (timeline entry 1 is automatic)."""
    ref = incident_in(responder_api, "declared")
    responder_api.post(f"/incidents/{ref}/roles", {"role": "incident_commander", "user": "rei"})
    return ref


@pytest.mark.parametrize(("method", "path", "body"), ENDPOINTS)
def test_anonymous_callers_are_turned_away_everywhere(
    anonymous_api: Api, running: str, method: str, path: str, body: dict[str, Any]
) -> None:
    counts = row_counts()
    assert_error(call(english(anonymous_api), method, path, body), 401, "unauthenticated", "Log in")
    assert row_counts() == counts


@pytest.mark.parametrize(("method", "path", "body"), ENDPOINTS)
def test_a_made_up_token_is_turned_away_everywhere(
    running: str, method: str, path: str, body: dict[str, Any]
) -> None:
    stranger = Api(Client(headers={"Accept-Language": "en"}), "kzk_not-a-real-token")
    assert_error(call(stranger, method, path, body), 401, "unauthenticated")


READS = [(method, path) for method, path, _ in ENDPOINTS if method == "get"]


@pytest.mark.parametrize(("method", "path"), READS)
def test_viewers_may_read_everything(viewer_api: Api, running: str, method: str, path: str) -> None:
    assert call(viewer_api, method, path, {}).status_code == 200


VIEWER_REFUSED = [
    ("post", "/incidents", {"title": "Checkout fails", "severity": 2}),
    ("patch", "/incidents/INC-1", {"title": "Renamed"}),
    ("post", "/incidents/INC-1/transitions", {"to": "mitigated"}),
    ("post", "/incidents/INC-1/roles", {"role": "scribe", "user": "vera"}),
    ("delete", "/incidents/INC-1/roles/incident_commander/rei", {}),
    ("post", "/incidents/INC-1/timeline", {"text": "I think it is the database"}),
    ("patch", "/incidents/INC-1/timeline/1", {"text": "Edited"}),
    ("delete", "/incidents/INC-1/timeline/1", {}),
    ("post", "/incidents/INC-1/status-updates", {"text": "All fine"}),
    ("patch", "/severities/2", {"name_en": "Serious"}),
]


@pytest.mark.parametrize(("method", "path", "body"), VIEWER_REFUSED)
def test_viewers_may_not_run_incidents(
    viewer_api: Api, running: str, method: str, path: str, body: dict[str, Any]
) -> None:
    before, counts = look(viewer_api, running), row_counts()
    assert_error(call(english(viewer_api), method, path, body), 403, "forbidden")
    assert look(viewer_api, running) == before
    assert row_counts() == counts


def test_a_viewer_cannot_declare_and_nothing_changes(viewer_api: Api, responder_api: Api) -> None:
    ref = report(viewer_api)["number"]
    before, counts = look(viewer_api, ref), row_counts()
    response = move(english(viewer_api), ref, "declared", severity=1)
    assert_error(response, 403, "forbidden", "This needs the Responder role.")
    assert look(viewer_api, ref) == before
    assert before[0]["status"] == "reported"
    assert row_counts() == counts


def test_a_viewer_may_report_without_a_severity(viewer_api: Api) -> None:
    incident = report(viewer_api, "The checkout page shows an error")
    assert incident["status"] == "reported"
    assert incident["severity"] is None
    assert incident["reporter"] == "vera"


def test_the_reporter_may_add_to_the_timeline_even_as_a_viewer(
    viewer_api: Api, responder_api: Api
) -> None:
    mine = report(viewer_api)["number"]
    theirs = report(responder_api)["number"]
    assert (
        viewer_api.post(f"/incidents/{mine}/timeline", {"text": "Seen at 10:02"}).status_code == 201
    )
    refused = viewer_api.post(f"/incidents/{theirs}/timeline", {"text": "Seen at 10:02"})
    assert_error(refused, 403, "forbidden")


def test_a_role_holder_may_add_to_the_timeline_until_released(
    viewer_api: Api, responder_api: Api
) -> None:
    ref = incident_in(responder_api, "declared")
    responder_api.post(f"/incidents/{ref}/roles", {"role": "scribe", "user": "vera"})
    assert (
        viewer_api.post(f"/incidents/{ref}/timeline", {"text": "Bridge opened"}).status_code == 201
    )

    assert responder_api.delete(f"/incidents/{ref}/roles/scribe/vera").status_code == 204
    assert_error(viewer_api.post(f"/incidents/{ref}/timeline", {"text": "Late"}), 403, "forbidden")


def test_responders_run_incidents_but_do_not_configure_severities(
    responder_api: Api, running: str
) -> None:
    assert (
        responder_api.post(f"/incidents/{running}/timeline", {"text": "Rolled back"}).status_code
        == 201
    )
    assert (
        responder_api.post(
            f"/incidents/{running}/status-updates", {"text": "Fix deployed"}
        ).status_code
        == 201
    )
    assert move(responder_api, running, "mitigated").status_code == 200
    assert (
        responder_api.patch(f"/incidents/{running}", {"title": "Checkout 500s"}).status_code == 200
    )

    refused = english(responder_api).patch("/severities/2", {"name_en": "Serious"})
    assert_error(refused, 403, "forbidden", "This needs the Admin role.")
    assert responder_api.get("/severities").json()[1]["name_en"] == "Major"


def test_admins_configure_severities_with_an_audit_record(admin_api: Api, admin: Any) -> None:
    response = admin_api.patch("/severities/2", {"name_en": "Serious", "follow_up_due_days": 21})
    assert response.status_code == 200, response.json()
    assert response.json()["name_en"] == "Serious"
    sev2 = admin_api.get("/severities").json()[1]
    assert (sev2["level"], sev2["name_en"], sev2["follow_up_due_days"]) == (2, "Serious", 21)
    audit = AuditEntry.objects.get(action="severity.update")
    assert audit.actor == admin
    assert audit.before is not None
    assert audit.after is not None
    assert (audit.before["name_en"], audit.after["name_en"]) == ("Major", "Serious")
    assert (audit.before["follow_up_due_days"], audit.after["follow_up_due_days"]) == (30, 21)


def test_admins_may_also_run_incidents(admin_api: Api) -> None:
    ref = incident_in(admin_api, "closed")
    assert admin_api.get(f"/incidents/{ref}").json()["status"] == "closed"
