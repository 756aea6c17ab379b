"""Found by the API fuzzer: a reference made of "digits" that int() cannot read (superscript
² passes str.isdigit, and over 4,300 digits int() refuses) was a 500; now it is an unknown
name like any other."""

import pytest
from django.test import Client

from kizuki.accounts.models import User
from kizuki.catalog.models import Service
from kizuki.oncall.models import EscalationPolicy
from tests.conftest import Api
from tests.incidents.support import assert_error, english

NOT_IDS = ["²", "1" * 5000]


@pytest.mark.parametrize("ref", NOT_IDS)
def test_alert_groups_filtered_by_a_lookalike_service(viewer_api: Api, ref: str) -> None:
    response = viewer_api.get("/alert-groups", service=ref)
    assert response.status_code == 200, response.content[:200]
    assert response.json()["count"] == 0


@pytest.mark.parametrize("ref", NOT_IDS)
def test_a_service_with_a_lookalike_policy_is_refused(
    admin_api: Api, service: Service, ref: str
) -> None:
    response = english(admin_api).post("/services", {"name": "X", "escalation_policy": ref})
    assert_error(response, 400, "invalid", "Unknown escalation policy")
    assert Service.objects.count() == 1


@pytest.mark.parametrize("ref", NOT_IDS)
def test_a_policy_step_naming_a_lookalike_schedule_is_refused(admin_api: Api, ref: str) -> None:
    step = {"targets": [{"type": "schedule", "id": ref}], "wait_minutes": 5}
    response = english(admin_api).post(
        "/escalation-policies", {"name": "Checkout", "repeat": 0, "steps": [step]}
    )
    assert_error(response, 400, "invalid", "Unknown schedule")
    assert not EscalationPolicy.objects.exists()


@pytest.mark.parametrize("wait", ["²", "1" * 5000])
def test_a_lookalike_wait_in_the_policy_page_is_a_form_error(admin: User, wait: str) -> None:
    web = Client(headers={"Accept-Language": "en"})
    web.force_login(admin)
    step = {"step-0-target-0-kind": "user", "step-0-target-0-id": "user:aki", "step-0-wait": wait}
    page = web.post("/escalation-policies/new/", {"name": "X", "repeat": "0", "op": "save", **step})
    assert page.status_code == 200
    assert "Give the minutes as a whole number" in page.content.decode()
    assert not EscalationPolicy.objects.exists()
