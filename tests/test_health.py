"""The health check and the OpenAPI document."""

from django.db import connection
from django.test import Client
from pydantic import BaseModel

ENDPOINTS = {
    "/api/v1/tokens": {"get", "post"},
    "/api/v1/tokens/{token_id}": {"delete"},
    "/api/v1/incidents": {"get", "post"},
    "/api/v1/incidents/{ref}": {"get", "patch"},
    "/api/v1/incidents/{ref}/transitions": {"post"},
    "/api/v1/incidents/{ref}/roles": {"get", "post"},
    "/api/v1/incidents/{ref}/roles/{role}/{username}": {"delete"},
    "/api/v1/incidents/{ref}/participants": {"get", "post"},
    "/api/v1/incidents/{ref}/participants/{username}": {"delete"},
    "/api/v1/incidents/{ref}/timeline": {"get", "post"},
    "/api/v1/incidents/{ref}/timeline/{entry_id}": {"patch", "delete"},
    "/api/v1/incidents/{ref}/status-updates": {"get", "post"},
    "/api/v1/severities": {"get"},
    "/api/v1/severities/{level}": {"patch"},
    "/api/v1/roles": {"get"},
    "/api/v1/health": {"get"},
    "/api/v1/health/live": {"get"},
    "/api/v1/health/ready": {"get"},
    "/api/v1/services": {"get", "post"},
    "/api/v1/services/{service_id}": {"get", "patch"},
    "/api/v1/services/{service_id}/integrations": {"get", "post"},
    "/api/v1/services/{service_id}/routing-rules": {"get", "post"},
    "/api/v1/services/{service_id}/routing-rules/{rule_id}": {"patch", "delete"},
    "/api/v1/services/{service_id}/integrations/{integration_id}": {"patch"},
    "/api/v1/services/{service_id}/integrations/{integration_id}/rotate-token": {"post"},
    "/api/v1/services/{service_id}/integrations/{integration_id}/test-alert": {"post"},
    "/api/v1/integrations/{token}/{kind}": {"post"},
    "/api/v1/integrations/{token}/events/v2/enqueue": {"post"},
    "/api/v1/integrations/{token}/events/v2/change/enqueue": {"post"},
    "/api/v1/services/{service_id}/changes": {"get"},
    "/api/v1/alert-groups": {"get"},
    "/api/v1/alert-groups/{group_id}": {"get"},
    "/api/v1/alert-groups/{group_id}/acknowledge": {"post"},
    "/api/v1/alert-groups/{group_id}/resolve": {"post"},
    "/api/v1/alert-groups/{group_id}/silence": {"post"},
    "/api/v1/escalation-policies": {"get", "post"},
    "/api/v1/escalation-policies/{policy_id}": {"get", "put", "delete"},
    "/api/v1/users/{username}/notification-rules": {"get", "post"},
    "/api/v1/users/{username}/notification-rules/order": {"put"},
    "/api/v1/users/{username}/notification-rules/{rule_id}": {"delete"},
    "/api/v1/users/{username}/test-page": {"post"},
    "/api/v1/paging-settings": {"get", "patch"},
    "/api/v1/schedules": {"get", "post"},
    "/api/v1/schedules/{schedule_id}": {"get", "delete"},
    "/api/v1/schedules/{schedule_id}/layers": {"put"},
    "/api/v1/schedules/{schedule_id}/overrides": {"post"},
    "/api/v1/schedules/{schedule_id}/overrides/{override_id}": {"delete"},
    "/api/v1/schedules/{schedule_id}/oncall": {"get"},
    "/api/v1/schedules/{schedule_id}/warnings": {"get"},
    "/api/v1/schedules/{schedule_id}/ical": {"get"},
    "/api/v1/schedules/{schedule_id}/ical-url": {"get"},
    "/api/v1/schedules/{schedule_id}/ical-url/rotate": {"post"},
    "/api/v1/users/{username}/ical-url": {"get"},
    "/api/v1/users/{username}/ical-url/rotate": {"post"},
    "/api/v1/users/{username}/ical": {"get"},
    "/api/v1/status": {"get"},
    "/api/v1/subscriptions": {"get", "post"},
    "/api/v1/subscriptions/{subscription_id}": {"delete"},
    "/api/v1/incidents/{ref}/stakeholder-deliveries": {"get"},
    "/api/v1/retrospective-templates": {"get", "post"},
    "/api/v1/retrospective-templates/{key}": {"get", "patch"},
    "/api/v1/incidents/{ref}/retrospective": {"get", "post", "patch"},
    "/api/v1/incidents/{ref}/retrospective/transitions": {"post"},
    "/api/v1/incidents/{ref}/retrospective/versions": {"get"},
    "/api/v1/incidents/{ref}/retrospective/versions/{number}": {"get"},
    "/api/v1/incidents/{ref}/retrospective/diff": {"get"},
    "/api/v1/incidents/{ref}/retrospective/reviews": {"get", "post"},
    "/api/v1/incidents/{ref}/retrospective/review": {"post"},
    "/api/v1/incidents/{ref}/retrospective/comments": {"get", "post"},
    "/api/v1/incidents/{ref}/retrospective/comments/{comment_id}": {"patch"},
    "/api/v1/incidents/{ref}/retrospective/requirement": {"get", "put"},
    "/api/v1/retrospectives": {"get"},
    "/api/v1/retrospective-policy": {"get"},
    "/api/v1/retrospective-policy/severities/{level}": {"patch"},
    "/api/v1/retrospective-policy/teams/{slug}": {"put"},
    "/api/v1/search": {"get"},
    "/api/v1/followup-quality-rules": {"get", "post"},
    "/api/v1/followup-quality-rules/{rule_id}": {"delete", "patch"},
    "/api/v1/followup-trackers": {"get"},
    "/api/v1/followup-trackers/{team}": {"delete", "put"},
    "/api/v1/followup-trackers/{tracker_id}/github": {"post"},
    "/api/v1/followups": {"get"},
    "/api/v1/followups/check": {"post"},
    "/api/v1/followups/{followup_id}": {"get", "patch"},
    "/api/v1/followups/{followup_id}/export": {"post"},
    "/api/v1/followups/{followup_id}/history": {"get"},
    "/api/v1/incidents/{ref}/followups": {"get", "post"},
    "/api/v1/followups/{followup_id}/risks": {"post"},
    "/api/v1/incidents/{ref}/retrospective/risks": {"post"},
    "/api/v1/incidents/{ref}/similar": {"get"},
    "/api/v1/risks": {"get", "post"},
    "/api/v1/reports/summary": {"get"},
    "/api/v1/risks/{risk_id}": {"get", "patch"},
    "/api/v1/risks/{risk_id}/history": {"get"},
    "/api/v1/risks/{risk_id}/visits": {"post"},
    "/api/v1/incidents/{ref}/regulatory-reports": {"get", "post"},
    "/api/v1/regulatory-reports/{report_id}": {"get", "patch"},
    "/api/v1/regulatory-reports/{report_id}/submitted": {"post"},
    "/api/v1/reviews": {"get", "post"},
    "/api/v1/reviews/{review_id}/findings": {"post"},
    "/api/v1/reviews/{review_id}": {"get", "patch"},
    "/api/v1/review-settings": {"get", "patch"},
    "/api/v1/findings/{finding_id}": {"patch"},
    "/api/v1/findings/{finding_id}/promote": {"post"},
    "/api/v1/cause-categories": {"get"},
    "/api/v1/response-areas": {"get", "post"},
    "/api/v1/response-areas/{area_id}": {"get", "patch"},
    "/api/v1/absences": {"get", "post"},
    "/api/v1/absences/{absence_id}": {"delete"},
    "/api/v1/incidents/{ref}/area-leads": {"get"},
    "/api/v1/incidents/{ref}/area-leads/{area_id}": {"patch"},
    "/api/v1/formations": {"get"},
    "/api/v1/checklist-templates": {"get"},
    "/api/v1/incidents/{ref}/positions": {"get"},
    "/api/v1/incidents/{ref}/positions/{position_id}": {"put"},
    "/api/v1/incidents/{ref}/checklists": {"get", "post"},
    "/api/v1/incidents/{ref}/checklists/{checklist_id}/items/{item_id}/tick": {"post"},
    "/api/v1/incidents/{ref}/checklists/{checklist_id}/items/{item_id}/untick": {"post"},
    "/api/v1/drill-scenarios": {"get", "post"},
    "/api/v1/drill-scenarios/{scenario_id}": {"delete", "get", "patch"},
    "/api/v1/drills": {"get", "post"},
    "/api/v1/drills/{drill_id}": {"get"},
    "/api/v1/test-pages": {"get", "post"},
    "/api/v1/test-pages/{test_page_id}": {"get"},
    "/api/v1/test-pages/{test_page_id}/acknowledge": {"post"},
    "/api/v1/readiness": {"get"},
    "/api/v1/read-throughs": {"get", "post"},
    "/api/v1/read-throughs/{read_through_id}": {"get"},
    "/api/v1/read-throughs/{read_through_id}/read": {"post"},
    "/api/v1/care-settings": {"get", "post"},
    "/api/v1/incidents/{ref}/care": {"get"},
    "/api/v1/incidents/{ref}/handoff": {"post"},
    "/api/v1/incidents/{ref}/work-items": {"get", "post"},
    "/api/v1/incidents/{ref}/work-items/move-to-followups": {"post"},
    "/api/v1/incidents/{ref}/work-items/{item_id}": {"patch"},
    "/api/v1/automation-rules": {"get", "post"},
    "/api/v1/automation-rules/{rule_id}": {"delete", "get", "patch"},
    "/api/v1/automation-rules/{rule_id}/runs": {"get"},
}


def test_health_needs_no_login_and_names_the_database(db: None) -> None:
    response = Client().get("/api/v1/health")
    # No worker runs in this test: the database answers, but paging does not (tests/core).
    assert response.status_code == 503
    assert response.json()["status"] == "paging_stopped"
    assert response.json()["database"] == connection.vendor
    assert connection.vendor in {"sqlite", "postgresql"}


def test_the_openapi_document_lists_every_endpoint(db: None) -> None:
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["info"]["title"] == "Kizuki"
    paths = {path: set(operations) for path, operations in document["paths"].items()}
    assert paths == ENDPOINTS
    schemes = document["components"]["securitySchemes"]
    assert {scheme["type"] for scheme in schemes.values()} >= {"http", "apiKey"}
    health = document["paths"]["/api/v1/health"]["get"]
    assert not health.get("security")
    assert document["paths"]["/api/v1/incidents"]["get"]["security"]
    # Alert senders authenticate with the secret token in the URL, not a bearer token.
    assert not document["paths"]["/api/v1/integrations/{token}/{kind}"]["post"].get("security")


def test_no_two_schemas_share_a_name_in_the_openapi_document(db: None) -> None:
    """The document names each schema by its class name alone: two apps' `PolicyOut`s would
    collapse into one, and clients would be told the wrong shape for one of them."""
    seen: dict[str, set[str]] = {}
    for model in _models(BaseModel):
        if model.__module__.startswith("kizuki.") and "[" not in model.__name__:
            seen.setdefault(model.__name__, set()).add(model.__module__)
    shared = {name: modules for name, modules in seen.items() if len(modules) > 1}
    assert not shared


def _models(base: type) -> list[type]:
    """Every subclass of `base`, however deep (the API's schemas are all pydantic models)."""
    found: list[type] = []
    for sub in base.__subclasses__():
        found.append(sub)
        found += _models(sub)
    return found
