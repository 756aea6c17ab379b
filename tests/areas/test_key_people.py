"""The key people a big declaration pages are the paging settings' key people plus every
area's owner and deputies, each paged once, those on leave left out; a drill pages none."""

import pytest

from kizuki.oncall.models import Page
from tests.areas.support import declare, people, set_chain, timeline_texts
from tests.conftest import Api, MovableClock
from tests.notify.support import run_worker

pytestmark = pytest.mark.django_db


def paged() -> list[str]:
    names = Page.objects.filter(status="sent").values_list("user__username", flat=True)
    return sorted(set(names))


def pages_per_person() -> dict[str, int]:
    found: dict[str, int] = {}
    for name in Page.objects.filter(status="sent").values_list("user__username", flat=True):
        found[name] = found.get(name, 0) + 1
    return found


@pytest.fixture
def areas_set(admin_api: Api, frozen_clock: MovableClock) -> None:
    """System: oto, deputies dai and ken; bridge: mei, deputy ken (in two areas); kei is a
    key person in the paging settings and also a deputy of the guests' area. oto is away."""
    people("oto", "dai", "ken", "mei", "kei", "yui")
    set_chain(admin_api, "system", "oto", ["dai", "ken"])
    set_chain(admin_api, "bridge", "mei", ["ken"])
    set_chain(admin_api, "customers-guests", "yui", ["kei"])
    response = admin_api.patch("/paging-settings", {"key_people": ["kei"]})
    assert response.status_code == 200, response.json()
    absence = admin_api.post(
        "/absences",
        {"user": "oto", "starts_at": "2026-11-24T00:00:00Z", "ends_at": "2026-11-30T00:00:00Z"},
    )
    assert absence.status_code == 201, absence.json()


def test_a_sev1_pages_area_leads_and_deputies_once_each_but_not_those_away(
    responder_api: Api, areas_set: None
) -> None:
    ref = declare(responder_api, severity=1)
    run_worker()
    assert paged() == ["dai", "kei", "ken", "mei", "yui"]
    assert set(pages_per_person().values()) == {1}  # ken (two areas) and kei: one page each
    said = [t for t in timeline_texts(responder_api, ref) if t.startswith("Paged key people")]
    assert len(said) == 1
    for name in ("dai", "kei", "ken", "mei", "yui"):
        assert name in said[0]
    assert "oto" not in said[0]


def test_a_sev3_pages_no_key_people(responder_api: Api, areas_set: None) -> None:
    declare(responder_api, severity=3)
    run_worker()
    assert paged() == []


def test_a_drill_pages_no_key_people(responder_api: Api, areas_set: None) -> None:
    declare(responder_api, severity=1, is_drill=True)
    run_worker()
    assert paged() == []


def test_area_people_are_paged_even_without_key_people_in_the_settings(
    responder_api: Api, admin_api: Api, frozen_clock: MovableClock
) -> None:
    people("oto", "dai")
    set_chain(admin_api, "system", "oto", ["dai"])
    declare(responder_api, severity=1)
    run_worker()
    assert paged() == ["dai", "oto"]


def test_the_owner_is_paged_again_once_back(
    responder_api: Api, areas_set: None, frozen_clock: MovableClock
) -> None:
    frozen_clock.advance(days=6)  # 2026-12-01T01:00Z, a Tuesday: the leave is over
    declare(responder_api, severity=1)
    run_worker()
    assert "oto" in paged()
