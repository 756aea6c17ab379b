"""A report pages someone, and says truthfully whom: the on-call of the services it names, else
the admin's triage policy, else nobody (and then who to contact). Drills: see
test_drill_paging."""

from typing import Any

import pytest
from django.core import mail
from django.test import Client

from kizuki.accounts.models import User
from kizuki.catalog.models import Service
from kizuki.oncall.models import Page
from tests.conftest import Api, MovableClock, make_user
from tests.jobs import run_worker
from tests.notify.support import create_policy, step

pytestmark = pytest.mark.django_db


def paged_people() -> list[str]:
    """Who has been sent a page, each once, in order."""
    names = (
        Page.objects.filter(status="sent").order_by("id").values_list("user__username", flat=True)
    )
    return list(dict.fromkeys(names))


def thanks(user: User, ref: str) -> str:
    client = Client(headers={"Accept-Language": "en"})
    client.force_login(user)
    response = client.get(f"/incidents/{ref}/thanks/")
    assert response.status_code == 200
    return response.content.decode()


def report(api: Api, **body: Any) -> str:
    response = api.post("/incidents", {"title": "Checkout shows errors", **body})
    assert response.status_code == 201, response.json()
    return str(response.json()["number"])


@pytest.fixture
def on_call(admin_api: Api, service: Service) -> User:
    """Service checkout is covered by a policy paging aoi."""
    aoi = make_user("aoi", "responder")
    aoi.first_name = "Aoi Sato"
    aoi.save()
    policy = create_policy(admin_api, "Checkout on-call", [step(("user", "aoi"))])
    assert (
        admin_api.patch(f"/services/{service.pk}", {"escalation_policy": policy["id"]}).status_code
        == 200
    )
    return aoi


def test_a_report_naming_a_service_pages_its_on_call_and_says_who(
    viewer: User, viewer_api: Api, on_call: User, frozen_clock: MovableClock
) -> None:
    ref = report(viewer_api, services=["checkout"])

    page = thanks(viewer, ref)
    assert "Paging now:" in page
    assert "<strong>Aoi Sato</strong>" in page
    assert "Nobody is on call" not in page
    run_worker()
    assert paged_people() == ["aoi"]
    assert [m.to for m in mail.outbox] == [["aoi@example.test"]]
    assert "Checkout shows errors" in mail.outbox[0].subject
    assert thanks(viewer, ref).count("<strong>Aoi Sato</strong>") == 1  # from the pages now


def test_a_report_without_a_service_pages_the_triage_policy_an_admin_chose(
    viewer: User, viewer_api: Api, admin_api: Api, responder: User, frozen_clock: MovableClock
) -> None:
    triage = create_policy(admin_api, "Triage", [step(("user", responder.username))])
    assert viewer_api.patch("/paging-settings", {"triage_policy": triage["id"]}).status_code == 403
    bad = admin_api.patch("/paging-settings", {"triage_policy": 999})
    assert bad.status_code == 400
    assert "999" in bad.json()["detail"]
    changed = admin_api.patch("/paging-settings", {"triage_policy": triage["id"]})
    assert changed.status_code == 200
    assert changed.json()["triage_policy"] == triage["id"]
    assert viewer_api.get("/paging-settings").status_code == 403

    ref = report(viewer_api)

    assert f"<strong>{responder.username}</strong>" in thanks(viewer, ref)
    run_worker()
    assert paged_people() == [responder.username]


def test_with_nobody_on_call_the_reporter_is_told_so_and_whom_to_contact(
    viewer: User, viewer_api: Api, admin: User, service: Service, frozen_clock: MovableClock
) -> None:
    ref = report(viewer_api, services=["checkout"])

    page = thanks(viewer, ref)
    assert "Nobody is on call for this report, so nobody has been paged." in page
    assert f'href="mailto:{admin.email}"' in page
    assert "The responders have it now" not in page
    run_worker()
    assert not Page.objects.exists()
    assert mail.outbox == []


def test_the_web_report_form_pages_too(
    viewer: User, on_call: User, service: Service, frozen_clock: MovableClock
) -> None:
    client = Client(headers={"Accept-Language": "en"})
    client.force_login(viewer)
    response = client.post("/report/", {"title": "Till is frozen", "services": [service.pk]})
    assert response.status_code == 302
    assert "<strong>Aoi Sato</strong>" in client.get(response["Location"]).content.decode()
    run_worker()
    assert paged_people() == ["aoi"]
