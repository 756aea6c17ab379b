"""A drill pages only the on-call of its own services' policies, saying it is a drill: never the
triage policy, never the key people; stakeholders hear nothing of it."""

from typing import Any

import pytest
from django.core import mail
from django.test import Client

from kizuki.accounts.models import User
from kizuki.catalog.models import Service
from kizuki.oncall.models import Page
from kizuki.stakeholders import actions as stakeholders
from tests.conftest import Api, MovableClock, make_user
from tests.incidents.support import english
from tests.jobs import run_worker
from tests.notify.support import create_policy, step

pytestmark = pytest.mark.django_db


def paged_people() -> list[str]:
    names = Page.objects.filter(status="sent").values_list("user__username", flat=True)
    return sorted(set(names))


def thanks(user: User, ref: str) -> str:
    client = Client(headers={"Accept-Language": "en"})
    client.force_login(user)
    response = client.get(f"/incidents/{ref}/thanks/")
    assert response.status_code == 200
    return " ".join(response.content.decode().split())


def timeline(api: Api, ref: str) -> list[str]:
    return [entry["text"] for entry in english(api).get(f"/incidents/{ref}/timeline").json()]


@pytest.fixture
def paging(admin_api: Api, service: Service) -> None:
    """Checkout pages aoi; the triage policy pages tomo; kei is a key person."""
    aoi = make_user("aoi", "responder")
    aoi.first_name = "Aoi Sato"
    aoi.save()
    for name in ("tomo", "kei"):
        make_user(name, "responder")
    checkout = create_policy(admin_api, "Checkout on-call", [step(("user", "aoi"))])
    triage = create_policy(admin_api, "Triage", [step(("user", "tomo"))])
    assert (
        admin_api.patch(f"/services/{service.pk}", {"escalation_policy": checkout["id"]})
    ).status_code == 200
    changed = admin_api.patch(
        "/paging-settings", {"triage_policy": triage["id"], "key_people": ["kei"]}
    )
    assert changed.status_code == 200, changed.json()


def test_a_drill_pages_only_its_services_on_call_and_says_it_is_a_drill(
    viewer: User,
    responder_api: Api,
    paging: None,
    frozen_clock: MovableClock,
    mailoutbox: Any,
    settings: Any,
) -> None:
    settings.LANGUAGE_CODE = "en"  # pages speak the site's language
    stakeholders.subscribe(None, "email", "sales@example.test", None)
    created = responder_api.post(
        "/incidents",
        {"title": "Checkout down", "services": ["checkout"], "is_drill": True, "severity": 1},
    )
    assert created.status_code == 201, created.json()
    ref = created.json()["number"]
    update = responder_api.post(
        f"/incidents/{ref}/status-updates",
        {"text": "Practice update", "audience": "stakeholders"},
    )
    assert update.status_code == 201, update.json()

    run_worker()
    assert paged_people() == ["aoi"]  # not tomo (triage), not kei (key people)
    assert [m.to for m in mail.outbox] == [["aoi@example.test"]]  # and not sales@
    assert mail.outbox[0].subject.endswith(f"[Drill] {ref} Checkout down")
    assert "This is a drill: practise the response, nothing needs fixing." in mail.outbox[0].body
    entries = timeline(responder_api, ref)
    assert "Paged the on-call of Checkout (policy Checkout on-call): Aoi Sato." in entries
    assert "Key people were not paged: this is a drill." in entries
    page = thanks(viewer, ref)
    assert (
        "It is a drill: paging the on-call of its services for practice: <strong>Aoi Sato</strong>"
        in page
    )


def test_a_drill_naming_no_service_with_a_policy_pages_nobody(
    viewer: User, viewer_api: Api, paging: None, frozen_clock: MovableClock
) -> None:
    created = viewer_api.post("/incidents", {"title": "Practice", "is_drill": True})
    assert created.status_code == 201, created.json()
    ref = created.json()["number"]

    run_worker()
    assert not Page.objects.exists()
    assert mail.outbox == []
    assert timeline(viewer_api, ref) == [
        "Incident reported.",
        "Drill: nobody was paged, as no service it names has an escalation policy"
        " (drills never page the triage policy).",
    ]
    page = thanks(viewer, ref)
    assert "It is a drill, and no service it names has an escalation policy" in page
    assert 'data-testid="contacts"' not in page
