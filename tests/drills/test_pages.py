"""The drills page: everyone reads it; only responders and admins see and use "Start drill"
and the test page form, and a refused form post changes nothing."""

import pytest
from django.test import Client

from kizuki.accounts.models import User
from kizuki.catalog.models import Service
from kizuki.oncall.models import Page
from tests.conftest import Api
from tests.drills.support import create_scenario

pytestmark = pytest.mark.django_db


def client_for(user: User) -> Client:
    client = Client(headers={"Accept-Language": "en"})
    client.force_login(user)
    return client


def test_a_viewer_reads_the_page_but_cannot_start_a_drill_or_page(
    admin_api: Api, viewer: User, service: Service
) -> None:
    scenario = create_scenario(admin_api)
    client = client_for(viewer)
    page = client.get("/drills/").content.decode()
    assert "Checkout payments fail" in page
    assert "Start drill" not in page
    assert "Send a test page" not in page
    assert client.post(f"/drills/scenarios/{scenario['id']}/start/").status_code == 403
    sent = client.post("/drills/test-pages/", {"target": f"user:{viewer.pk}"})
    assert sent.status_code == 403
    assert admin_api.get("/drills").json()["count"] == 0
    assert not Page.objects.exists()


def test_a_responder_starts_a_drill_from_the_page_and_lands_on_its_incident(
    admin_api: Api, responder: User, service: Service
) -> None:
    scenario = create_scenario(admin_api)
    client = client_for(responder)
    assert "Start drill" in client.get("/drills/").content.decode()
    started = client.post(f"/drills/scenarios/{scenario['id']}/start/")
    assert started.status_code == 302
    drill = admin_api.get("/drills").json()["items"][0]
    assert started["Location"] == f"/incidents/{drill['number']}/"
    assert drill["started_by"] == responder.username


def test_a_test_page_nobody_can_receive_comes_back_with_the_reason(responder: User) -> None:
    responder.email = ""
    responder.save()
    client = client_for(responder)
    sent = client.post("/drills/test-pages/", {"target": f"user:{responder.pk}"})
    assert sent.status_code == 400
    assert "no notification rule and no e-mail address" in sent.content.decode()
    assert not Page.objects.exists()
