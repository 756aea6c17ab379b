"""Whom a report or a declaration paged is written on the incident's timeline, with the page
(one transaction), in the reader's words: the on-call of a service, the triage on-call, the
key people, or why nobody."""

import pytest
from django.test import Client

from kizuki.accounts import actions as accounts
from kizuki.accounts.models import User
from kizuki.catalog.models import Service
from kizuki.incidents.models import TimelineEntry
from kizuki.incidents.paging_models import IncidentPaging
from tests.conftest import Api, MovableClock, make_user
from tests.incidents.support import english
from tests.notify.support import create_policy, step

pytestmark = pytest.mark.django_db

NOBODY = (
    "Nobody could be paged: no service the report names has an escalation policy, and no"
    " triage policy is set."
)


def timeline(api: Api, ref: str) -> list[str]:
    return [entry["text"] for entry in english(api).get(f"/incidents/{ref}/timeline").json()]


def report(api: Api, **body: object) -> str:
    response = api.post("/incidents", {"title": "Checkout shows errors", **body})
    assert response.status_code == 201, response.json()
    return str(response.json()["number"])


@pytest.fixture
def checkout_on_call(admin_api: Api, service: Service) -> None:
    aoi = make_user("aoi", "responder")
    aoi.first_name = "Aoi Sato"
    aoi.save()
    policy = create_policy(admin_api, "Checkout on-call", [step(("user", "aoi"))])
    assert (
        admin_api.patch(f"/services/{service.pk}", {"escalation_policy": policy["id"]})
    ).status_code == 200


def test_a_report_says_which_on_call_it_paged(
    viewer: User, viewer_api: Api, checkout_on_call: None, frozen_clock: MovableClock
) -> None:
    ref = report(viewer_api, services=["checkout"])

    assert timeline(viewer_api, ref) == [
        "Incident reported.",
        "Paged the on-call of Checkout (policy Checkout on-call): Aoi Sato.",
    ]
    # Written with the page it describes, by Kizuki itself.
    entry = TimelineEntry.objects.get(event="paged_on_call")
    assert entry.author is None
    assert IncidentPaging.objects.filter(incident=entry.incident).count() == 1
    client = Client(headers={"Accept-Language": "en"})
    client.force_login(viewer)
    page = client.get(f"/incidents/{ref}/").content.decode()
    assert "Paged the on-call of Checkout (policy Checkout on-call): Aoi Sato." in page


def test_a_report_without_a_service_says_it_paged_the_triage_on_call(
    viewer_api: Api, admin_api: Api, responder: User, frozen_clock: MovableClock
) -> None:
    triage = create_policy(admin_api, "Triage", [step(("user", responder.username))])
    assert admin_api.patch("/paging-settings", {"triage_policy": triage["id"]}).status_code == 200

    ref = report(viewer_api)

    assert (
        timeline(viewer_api, ref)[1]
        == f"Paged the triage on-call (policy Triage): {responder.username}."
    )


def test_a_report_nobody_could_be_paged_for_says_so(
    viewer_api: Api, checkout_on_call: None, frozen_clock: MovableClock
) -> None:
    ref = report(viewer_api)  # no service, and no triage policy

    assert timeline(viewer_api, ref) == ["Incident reported.", NOBODY]


def test_without_any_paging_set_up_the_timeline_stays_quiet(
    viewer_api: Api, frozen_clock: MovableClock
) -> None:
    """No escalation policy and no paging settings: Kizuki is not used for paging here."""
    ref = report(viewer_api)
    assert timeline(viewer_api, ref) == ["Incident reported."]


@pytest.fixture
def key_people(admin_api: Api) -> None:
    """Key people: kei by name and the leads team (mei)."""
    for name in ("kei", "mei"):
        make_user(name, "responder")
    leads = accounts.create_team("leads", "Leads")
    accounts.add_member(leads, User.objects.get(username="mei"))
    changed = admin_api.patch("/paging-settings", {"key_people": ["kei"], "key_teams": ["leads"]})
    assert changed.status_code == 200, changed.json()


def test_declaring_a_sev1_says_which_key_people_it_paged(
    responder_api: Api, key_people: None, frozen_clock: MovableClock
) -> None:
    ref = report(responder_api, severity=1)

    entries = timeline(responder_api, ref)
    assert entries[-2:] == ["Declared as SEV1.", "Paged key people: kei, mei."]
    assert NOBODY in entries  # the report itself named no service and there is no triage policy


def test_key_people_not_paged_in_business_hours_says_why(
    responder_api: Api, admin_api: Api, key_people: None, frozen_clock: MovableClock
) -> None:
    admin_api.patch("/paging-settings", {"key_people_out_of_hours_only": True})
    # Wednesday 25 November 2026, 10:00 in Tokyo: business hours.
    ref = report(responder_api, severity=1)

    assert timeline(responder_api, ref)[-1] == (
        "Key people were not paged: it is business hours, and they are paged only outside them."
    )


def test_no_key_people_set_says_nobody_could_be_paged(
    responder_api: Api, admin_api: Api, frozen_clock: MovableClock
) -> None:
    admin_api.patch("/paging-settings", {"business_day_end": "19:00"})  # saved, no key people
    ref = report(responder_api, severity=1)

    assert timeline(responder_api, ref)[-1] == (
        "Nobody could be paged as key people: none are set in the paging settings."
    )
    assert "Paged key people" not in " ".join(
        timeline(responder_api, report(responder_api, severity=3))
    )
