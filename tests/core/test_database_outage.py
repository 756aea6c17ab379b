"""While the database cannot be reached, the API and the ingestion endpoint answer 503 with
Retry-After and the usual JSON error, and web pages a short plain 503: never Django's 500.

The outage is real: the connection is closed and pointed at a port nobody listens on, so the
next query fails to connect exactly as it does while PostgreSQL restarts. (SQLite's in-memory
test database cannot be taken away; test_serve_process.py locks a SQLite file instead.)"""

from typing import Any

import pytest
from django.db import connection
from django.test import Client

from kizuki.accounts.models import User
from kizuki.catalog.models import Service
from tests.alerts.support import alertmanager, am_alert, integration
from tests.conftest import Api
from tests.notify.support import free_port

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs a database server to take away"
    ),
]

UNAVAILABLE = {
    "detail": "The database is unavailable right now. Retry in a few seconds.",
    "code": "database_unavailable",
}


@pytest.fixture
def ingestion_path(admin_api: Api, service: Service) -> str:
    return integration(admin_api, service.pk, "alertmanager")[1]


def send(client: Client, path: str) -> Any:
    body = alertmanager(am_alert("fp1"))
    return client.post("/api/v1" + path, body, "application/json")


def test_api_ingestion_and_pages_answer_503_with_retry_after_while_the_database_is_away(
    admin_api: Api, ingestion_path: str, responder: User
) -> None:
    # Clients as a browser and a sender keep them; errors come back as responses.
    web = Client(raise_request_exception=False, headers={"Accept-Language": "en"})
    web.force_login(responder)
    api = Client(raise_request_exception=False, headers={"Accept-Language": "en"})
    bearer = {"Authorization": f"Bearer {admin_api.token}"}

    saved = dict(connection.settings_dict)
    connection.close()
    connection.settings_dict["PORT"] = str(free_port())
    try:
        sent = send(api, ingestion_path)
        listed = api.get("/api/v1/incidents", headers=bearer)
        page = web.get("/incidents/")
    finally:
        connection.close()
        connection.settings_dict.update(saved)

    for answer in (sent, listed):
        assert answer.status_code == 503
        assert answer["Retry-After"] == "10"
        assert answer.json() == UNAVAILABLE
    assert page.status_code == 503
    assert page["Retry-After"] == "10"
    assert page["Content-Type"] == "text/plain; charset=utf-8"
    assert page.content.decode() == UNAVAILABLE["detail"]

    # The database is back: the same clients get through on their next request.
    assert send(api, ingestion_path).status_code == 202
    assert api.get("/api/v1/incidents", headers=bearer).status_code == 200
    assert web.get("/incidents/").status_code == 200
