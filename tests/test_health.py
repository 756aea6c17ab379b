"""The health check and the OpenAPI document."""

from django.db import connection
from django.test import Client

ENDPOINTS = {
    "/api/v1/incidents": {"get", "post"},
    "/api/v1/incidents/{ref}": {"get", "patch"},
    "/api/v1/incidents/{ref}/transitions": {"post"},
    "/api/v1/incidents/{ref}/roles": {"get", "post"},
    "/api/v1/incidents/{ref}/roles/{role}/{username}": {"delete"},
    "/api/v1/incidents/{ref}/timeline": {"get", "post"},
    "/api/v1/incidents/{ref}/timeline/{entry_id}": {"patch", "delete"},
    "/api/v1/incidents/{ref}/status-updates": {"get", "post"},
    "/api/v1/severities": {"get"},
    "/api/v1/severities/{level}": {"patch"},
    "/api/v1/roles": {"get"},
    "/api/v1/health": {"get"},
}


def test_health_needs_no_login_and_names_the_database(db: None) -> None:
    response = Client().get("/api/v1/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": connection.vendor}
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
