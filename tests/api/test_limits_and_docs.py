"""Oversized bodies get the API's JSON error with 413, and the OpenAPI document lists every
error status each operation can answer with, in the shared error shape."""

import json
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from kizuki.catalog.models import Service
from tests.alerts.support import integration
from tests.conftest import Api
from tests.incidents.support import assert_error, english, row_counts

ERROR_REF = "#/components/schemas/Error"


def oversized() -> str:
    return json.dumps({"title": "Big", "description": "x" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE})


def test_an_oversized_api_body_is_413_json(responder_api: Api) -> None:
    api = english(responder_api)
    before = row_counts()
    response = api.client.post(
        "/api/v1/incidents", oversized(), "application/json", headers=api._headers()
    )
    assert response["Content-Type"].startswith("application/json")
    assert_error(response, 413, "too_large", "larger than 1048576 bytes")
    assert row_counts() == before


def test_an_oversized_alert_is_413_json(admin_api: Api, service: Service) -> None:
    _, path = integration(admin_api, service.pk, "webhook")
    response = Client().post("/api/v1" + path, oversized(), "application/json")
    assert_error(response, 413, "too_large")


def test_the_limit_message_follows_the_language(responder_api: Api) -> None:
    response = responder_api.client.post(
        "/api/v1/incidents",
        oversized(),
        "application/json",
        headers={**responder_api._headers(), "Accept-Language": "ja"},
    )
    assert response.status_code == 413
    assert response.json()["code"] == "too_large"


@pytest.fixture
def document(anonymous_api: Api) -> dict[str, Any]:
    response = anonymous_api.client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    return body


def operation(document: dict[str, Any], method: str, path: str) -> dict[str, Any]:
    found: dict[str, Any] = document["paths"]["/api/v1" + path][method]
    return found


def errors(document: dict[str, Any], method: str, path: str) -> set[int]:
    # 414 (address too long) comes from the HTTP server in front, for every operation.
    found = {int(s) for s in operation(document, method, path)["responses"] if int(s) >= 400}
    assert 414 in found
    return found - {414}


def test_error_schema_is_shared(document: dict[str, Any]) -> None:
    schema = document["components"]["schemas"]["Error"]
    assert schema["required"] == ["detail", "code"]
    responses = operation(document, "get", "/incidents/{ref}")["responses"]
    assert responses["404"]["content"]["application/json"]["schema"] == {"$ref": ERROR_REF}


def test_statuses_follow_what_each_operation_takes(document: dict[str, Any]) -> None:
    # A read without parameters: only the address check and the database.
    assert errors(document, "get", "/severities") == {400, 401, 503}
    # A list with query parameters: validation, no path to miss.
    assert errors(document, "get", "/incidents") == {400, 401, 422, 503}
    # A read by path: the thing may not exist or not be visible.
    assert errors(document, "get", "/incidents/{ref}") == {400, 401, 403, 404, 422, 503}
    # A state change with a body: everything, including the size limit and conflicts.
    assert errors(document, "post", "/incidents/{ref}/transitions") == {
        400, 401, 403, 404, 409, 413, 422, 503,
    }  # fmt: skip
    # No login for alert ingestion: never 401/403; its own 429 is declared by the operation.
    ingest = errors(document, "post", "/integrations/{token}/{kind}")
    assert {400, 404, 413, 422, 429, 503} <= ingest
    assert not ingest & {401, 403}


def test_every_error_response_has_a_body_schema(document: dict[str, Any]) -> None:
    for methods in document["paths"].values():
        for details in methods.values():
            for status, response in details["responses"].items():
                if int(status) >= 400 and int(status) != 414:
                    assert response["description"], (details["operationId"], status)
                    assert "application/json" in response["content"], details["operationId"]
