"""Editing an incident's details (PATCH /incidents/{ref}) and a severity's settings."""

from typing import Any

import pytest

from kizuki.catalog.models import Service
from kizuki.core.models import AuditEntry
from tests.conftest import Api
from tests.incidents.support import assert_error, english, incident_in, look, report, row_counts


@pytest.fixture
def api(responder_api: Api) -> Api:
    return english(responder_api)


def test_details_are_edited_recorded_and_audited(api: Api, service: Service) -> None:
    ref = incident_in(api, "declared")
    changes = {
        "title": "  Checkout returns 500  ",
        "description": "Card payments fail",
        "services": ["checkout"],
        "team": "payments",
        "customers_affected": "About 3% of buyers",
        "impact_started_at": "2026-11-25T09:12:00+09:00",
        "document_url": "https://docs.example.test/inc",
    }

    response = api.patch(f"/incidents/{ref}", changes)

    assert response.status_code == 200, response.json()
    incident = api.get(f"/incidents/{ref}").json()
    assert incident["title"] == "Checkout returns 500"
    assert incident["description"] == "Card payments fail"
    assert (incident["services"], incident["team"]) == (["checkout"], "payments")
    assert incident["impact"]["customers_affected"] == "About 3% of buyers"
    assert incident["impact"]["started_at"] == "2026-11-25T00:12:00Z"
    assert incident["links"]["document"] == "https://docs.example.test/inc"
    assert api.get(f"/incidents/{ref}/timeline").json()[-1]["text"] == (
        "Details edited: title, description, affected services, owning team, customers affected, "
        "impact started at, recording document."
    )
    audit = AuditEntry.objects.get(action="incident.update")
    assert audit.before is not None
    assert audit.after is not None
    assert (audit.before["title"], audit.after["title"]) == (
        "Checkout fails",
        "Checkout returns 500",
    )
    assert audit.after["impact_started_at"].startswith("2026-11-25T")


def test_changing_the_severity_is_a_timeline_entry_of_its_own(api: Api) -> None:
    ref = incident_in(api, "declared")
    assert api.patch(f"/incidents/{ref}", {"severity": 1}).json()["severity"] == 1
    assert api.get(f"/incidents/{ref}/timeline").json()[-1]["text"] == (
        "Severity changed from SEV3 to SEV1."
    )


def test_an_unclassified_report_may_lose_its_severity_again(viewer_api: Api, api: Api) -> None:
    ref = report(viewer_api)["number"]
    assert api.patch(f"/incidents/{ref}", {"severity": 4}).json()["severity"] == 4
    assert api.patch(f"/incidents/{ref}", {"severity": None}).json()["severity"] is None


@pytest.mark.parametrize(
    ("changes", "status", "detail"),
    [
        ({"severity": None}, 400, "keeps a severity"),
        ({"title": "   "}, 400, "A title is required."),
        ({"title": None}, 400, "title"),
        ({"description": None}, 400, "description"),
        ({"is_drill": None}, 400, "is_drill"),
        ({"team": "nobody"}, 400, "Unknown team nobody."),
        ({"services": ["nothing"]}, 400, "Unknown service: nothing."),
        ({"impact_started_at": "2026-11-25T09:00:00"}, 400, "time zone"),
        ({"document_url": "not a link"}, 422, "document_url"),
        ({"bridge_system_url": "https://meet.example.test/" + "x" * 200}, 422, "bridge_system_url"),
    ],
)
def test_bad_edits_are_refused_and_change_nothing(
    api: Api, changes: dict[str, Any], status: int, detail: str
) -> None:
    ref = incident_in(api, "declared")
    before, counts = look(api, ref), row_counts()
    assert_error(api.patch(f"/incidents/{ref}", changes), status, "invalid", detail)
    assert look(api, ref) == before
    assert row_counts() == counts


@pytest.mark.parametrize(
    ("changes", "status"),
    [
        ({"name_en": None}, 400),
        ({"follow_up_due_days": None}, 400),
        ({"name_en": ""}, 422),
        ({"follow_up_due_days": -1}, 422),
        ({"follow_up_due_days": 10**12}, 422),
        ({"status_update_interval_minutes": 0}, 422),
    ],
)
def test_bad_severity_settings_are_refused(
    admin_api: Api, changes: dict[str, Any], status: int
) -> None:
    before, counts = admin_api.get("/severities").json(), row_counts()
    assert_error(admin_api.patch("/severities/2", changes), status, "invalid")
    assert admin_api.get("/severities").json() == before
    assert row_counts() == counts
