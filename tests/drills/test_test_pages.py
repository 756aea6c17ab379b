"""Test pages to a person, to whoever is on call in a schedule, and to a policy's first step:
sent through the real paging path, saying they are a test, and acknowledged from the page's
link or the API, with the time it took."""

import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from kizuki.accounts import actions as accounts
from kizuki.accounts.models import User
from kizuki.oncall.models import Page
from tests.conftest import Api, MovableClock, api_for, make_user
from tests.incidents.support import assert_error, english
from tests.jobs import run_worker
from tests.notify.support import create_policy, step
from tests.schedules.support import create, layer

pytestmark = pytest.mark.django_db


def send(api: Api, kind: str, ref: Any) -> dict[str, Any]:
    response = api.post("/test-pages", {"target": {"type": kind, "id": ref}})
    assert response.status_code == 201, response.json()
    body: dict[str, Any] = response.json()
    return body


def paged_people() -> list[str]:
    return sorted(set(Page.objects.filter(status="sent").values_list("user__username", flat=True)))


def test_a_person_acknowledges_a_test_page_from_its_link(
    responder_api: Api, frozen_clock: MovableClock, settings: Any
) -> None:
    settings.LANGUAGE_CODE = "en"
    aoi = make_user("aoi", "viewer")
    sent = send(responder_api, "user", aoi.pk)
    assert (sent["target_name"], sent["paged"], sent["acknowledged_at"]) == ("aoi", ["aoi"], None)

    run_worker()
    assert paged_people() == ["aoi"]
    message = mail.outbox[0]
    assert message.to == ["aoi@example.test"]
    assert "[Test page] aoi" in message.subject
    assert "This is a test page, not an incident: nothing is broken." in message.body
    found = re.search(r"Acknowledge: \S+(/drills/test-pages/ack/\S+/)", str(message.body))
    assert found, message.body
    link = found.group(1)

    frozen_clock.advance(seconds=95)
    client = Client(headers={"Accept-Language": "en"})
    client.force_login(aoi)
    page = client.get(link)
    assert page.status_code == 200
    assert "Acknowledge this test page?" in page.content.decode()
    assert responder_api.get(f"/test-pages/{sent['id']}").json()["acknowledged_at"] is None
    done = client.post(link)
    assert done.status_code == 302

    shown = responder_api.get("/test-pages").json()["items"][0]
    assert shown["acknowledged_by"] == "aoi"
    assert shown["seconds_to_acknowledge"] == 95
    assert shown["acknowledged_at"] == "2026-11-25T01:01:35Z"
    frozen_clock.advance(minutes=30)
    run_worker()
    assert len(mail.outbox) == 1  # acknowledged: nothing more goes out


def test_a_schedule_test_pages_whoever_is_on_call_now(
    responder_api: Api, frozen_clock: MovableClock
) -> None:
    ken = make_user("ken", "viewer")
    make_user("mei", "viewer")
    schedule = create(responder_api, [layer(["ken"], shift_length="1w")])
    sent = send(responder_api, "schedule", schedule["id"])
    assert (sent["target_name"], sent["paged"]) == ("Primary", ["ken"])
    run_worker()
    assert paged_people() == ["ken"]

    frozen_clock.advance(minutes=3)
    mei = api_for(User.objects.get(username="mei"))
    refused = english(mei).post(f"/test-pages/{sent['id']}/acknowledge")
    assert_error(refused, 403, "forbidden", "Only the people this test paged")
    acknowledged = api_for(ken).post(f"/test-pages/{sent['id']}/acknowledge")
    assert acknowledged.status_code == 200, acknowledged.json()
    assert acknowledged.json()["seconds_to_acknowledge"] == 180
    again = api_for(ken).post(f"/test-pages/{sent['id']}/acknowledge")
    assert again.json()["acknowledged_at"] == acknowledged.json()["acknowledged_at"]


def test_a_policy_test_pages_only_its_first_step(
    admin_api: Api, responder_api: Api, frozen_clock: MovableClock
) -> None:
    ken = make_user("ken", "responder")
    make_user("mei", "responder")
    policy = create_policy(
        admin_api, "Checkout on-call", [step(("user", "ken"), wait=5), step(("user", "mei"))]
    )
    sent = send(responder_api, "policy", policy["id"])
    assert sent["paged"] == ["ken"]
    run_worker()
    frozen_clock.advance(minutes=30)
    run_worker()
    assert paged_people() == ["ken"]  # the second step never runs

    frozen_clock.advance(minutes=1)
    acknowledged = api_for(ken).post(f"/test-pages/{sent['id']}/acknowledge")
    assert acknowledged.json()["acknowledged_by"] == "ken"
    assert acknowledged.json()["seconds_to_acknowledge"] == 31 * 60


def test_bad_test_pages_are_refused(
    responder_api: Api, viewer_api: Api, frozen_clock: MovableClock
) -> None:
    api = english(responder_api)
    assert_error(
        english(viewer_api).post("/test-pages", {"target": {"type": "user", "id": "rei"}}),
        403,
        "forbidden",
    )
    assert_error(
        api.post("/test-pages", {"target": {"type": "user", "id": 999999}}), 404, "not_found"
    )
    unknown = api.post("/test-pages", {"target": {"type": "user", "id": "nobody"}})
    assert_error(unknown, 400, "invalid", "nobody")
    assert api.post("/test-pages", {"target": {"type": "team", "id": 1}}).status_code == 422
    assert_error(
        api.post("/test-pages", {"target": {"type": "policy", "id": 999999}}), 404, "not_found"
    )
    make_user("ken", "viewer")
    later = create(responder_api, [layer(["ken"], start="2026-12-20")], name="Winter")
    nobody = api.post("/test-pages", {"target": {"type": "schedule", "id": later["id"]}})
    assert_error(nobody, 400, "invalid", "Nobody is on call in Winter")
    silent = accounts.create_user("oto", "responder", password="x-long-password-1")
    no_way = api.post("/test-pages", {"target": {"type": "user", "id": silent.pk}})
    assert_error(no_way, 400, "invalid", "can be reached")
    assert api.get("/test-pages").json()["count"] == 0
    assert not Page.objects.exists()
