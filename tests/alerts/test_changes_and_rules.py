"""Change events as responders meet them ("what changed before this broke" on the incident
page, and the service's changes in the API), and the catch-all routing rule nobody named."""

from typing import Any

import pytest
from django.test import Client

from kizuki.accounts.models import User
from kizuki.alerts.models import RoutingRule
from kizuki.catalog import actions as catalog
from kizuki.catalog.models import Service
from tests.alerts.support import integration, send
from tests.conftest import Api, MovableClock
from tests.incidents.support import assert_error, english

pytestmark = pytest.mark.django_db


def browser(user: User, language: str = "en") -> Client:
    client = Client(headers={"Accept-Language": language})
    client.force_login(user)
    return client


def change(path: str, summary: str, timestamp: str, **payload: Any) -> None:
    event = {"payload": {"summary": summary, "timestamp": timestamp, **payload}}
    response = send(path + "/v2/change/enqueue", event)
    assert response.status_code == 202, response.json()


def test_incident_page_shows_what_changed_before_it(
    admin_api: Api, viewer: User, service: Service, frozen_clock: MovableClock
) -> None:
    other = catalog.create_service("search", "Search", service.team)
    path = integration(admin_api, service.pk, "events")[1]
    other_path = integration(admin_api, other.pk, "events")[1]
    # The clock reads 2026-11-25 01:00 UTC when the incident is reported.
    change(path, "Deploy checkout v42", "2026-11-25T00:40:00Z", source="ci")
    change(path, "Raise pool size to 50", "2026-11-25T09:00:00+09:00")  # 00:00 UTC
    change(path, "Deploy checkout v41", "2026-11-23T23:00:00Z")  # 26 hours before
    change(other_path, "Reindex search", "2026-11-25T00:50:00Z")  # another service
    reported = admin_api.post("/incidents", {"title": "Checkout down", "services": ["checkout"]})
    assert reported.status_code == 201, reported.json()
    frozen_clock.advance(minutes=30)
    change(path, "Roll back to v41", "2026-11-25T01:20:00Z")  # after it started

    html = browser(viewer).get(f"/incidents/{reported.json()['number']}/").content.decode()
    section = html[html.index('data-testid="changes"') :]
    section = section[: section.index("</ul>")]
    assert "Deploy checkout v42" in section
    assert "ci" in section
    assert "Raise pool size to 50" in section
    assert section.index("Deploy checkout v42") < section.index("Raise pool size to 50")
    for absent in ("Deploy checkout v41", "Reindex search", "Roll back to v41"):
        assert absent not in section
    assert "Changes to its services in the 24 hours before it started." in html

    listed = admin_api.get(f"/services/{service.pk}/changes", page_size=2).json()
    assert (listed["count"], listed["pages"]) == (4, 2)
    assert [item["summary"] for item in listed["items"]] == [
        "Roll back to v41",
        "Deploy checkout v42",
    ]


def test_incident_without_changes_says_so(admin_api: Api, viewer: User, service: Service) -> None:
    reported = admin_api.post("/incidents", {"title": "Checkout down", "services": ["checkout"]})
    html = browser(viewer).get(f"/incidents/{reported.json()['number']}/").content.decode()
    assert "No changes reported." in html


def test_changes_need_a_login(anonymous_api: Api, service: Service) -> None:
    assert anonymous_api.get(f"/services/{service.pk}/changes").status_code == 401


def test_unnamed_catch_all_rule_is_refused(admin_api: Api, admin: User, service: Service) -> None:
    path = f"/services/{service.pk}/routing-rules"
    admin_api = english(admin_api)
    assert_error(admin_api.post(path, {}), 400, "invalid", "matches every alert")
    assert_error(admin_api.post(path, {"name": "  "}), 400, "invalid", "matches every alert")
    page = browser(admin).post(f"/services/{service.pk}/routing-rules/", {"name": ""})
    assert page.status_code == 200
    assert "matches every alert" in page.content.decode()
    assert not RoutingRule.objects.exists()
    # Labels, or a name that says catching everything is meant, are fine.
    assert admin_api.post(path, {"match_labels": {"team": "db"}}).status_code == 201
    assert admin_api.post(path, {"name": "Everything else"}).status_code == 201
