"""The response-areas API: the default areas, creating and changing an area's owner and
ordered deputies (at most four, the owner not among them, each person once), absences, and
who may do what."""

from typing import Any

import pytest

from kizuki.core.models import AuditEntry
from tests.areas.support import area_id, people, set_chain
from tests.conftest import Api, MovableClock, make_user
from tests.incidents.support import assert_error, english

pytestmark = pytest.mark.django_db


def test_a_new_installation_has_the_four_default_areas_without_owners(viewer_api: Api) -> None:
    response = english(viewer_api).get("/response-areas")
    assert response.status_code == 200, response.json()
    areas = response.json()
    assert [area["slug"] for area in areas] == [
        "customers-guests",
        "customers-partners",
        "system",
        "bridge",
    ]
    assert [area["name_ja"] for area in areas] == [
        "顧客（対ゲスト）",
        "顧客（対パートナー）",
        "システム",
        "ブリッジング役",
    ]
    assert areas[0]["name"] == "Customers — guests"
    assert all(area["owner"] is None and area["deputies"] == [] for area in areas)
    assert all(area["lead"] is None for area in areas)


def test_the_name_follows_the_readers_language(viewer_api: Api) -> None:
    areas = viewer_api.get("/response-areas").json()  # Japanese is the default
    assert areas[2]["name"] == "システム"


def test_an_admin_creates_an_area_with_an_owner_and_ordered_deputies(admin_api: Api) -> None:
    people("oto", "dai", "ken", "mei", "ren")
    response = admin_api.post(
        "/response-areas",
        {
            "slug": "payments",
            "name_ja": "決済",
            "name_en": "Payments",
            "owner": "oto",
            "deputies": ["ren", "dai", "mei", "ken"],
        },
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["owner"] == "oto"
    assert body["deputies"] == ["ren", "dai", "mei", "ken"]  # the order given, not sorted
    assert body["lead"] == "oto"
    again = admin_api.get(f"/response-areas/{body['id']}").json()
    assert again["deputies"] == ["ren", "dai", "mei", "ken"]
    assert AuditEntry.objects.filter(action="response_area.create").count() == 1


def test_five_deputies_are_refused_and_nothing_is_saved(admin_api: Api) -> None:
    people("oto", "a1", "a2", "a3", "a4", "a5")
    before = admin_api.get("/response-areas").json()
    response = english(admin_api).post(
        "/response-areas",
        {
            "slug": "payments",
            "name_ja": "決済",
            "name_en": "Payments",
            "owner": "oto",
            "deputies": ["a1", "a2", "a3", "a4", "a5"],
        },
    )
    assert_error(response, 400, "invalid", "at most 4 deputies")
    assert admin_api.get("/response-areas").json() == before
    changed = english(admin_api).patch(
        f"/response-areas/{area_id(admin_api, 'system')}",
        {"deputies": ["a1", "a2", "a3", "a4", "a5"]},
    )
    assert_error(changed, 400, "invalid", "at most 4 deputies")
    assert admin_api.get("/response-areas").json() == before


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        ({"owner": "oto", "deputies": ["oto"]}, "cannot also be its deputy"),
        ({"deputies": ["dai", "dai"]}, "only once"),
        ({"deputies": ["nobody-here"]}, "Unknown user nobody-here"),
        ({"owner": "nobody-here"}, "Unknown user nobody-here"),
        ({"team": "no-team"}, "Unknown team no-team"),
        ({"name_en": "  "}, "may not be empty"),
        ({"slug": "has space"}, "slug"),
        ({"position": -1}, "position"),
    ],
)
def test_bad_changes_are_refused_with_a_reason(
    admin_api: Api, change: dict[str, Any], fragment: str
) -> None:
    people("oto", "dai")
    before = admin_api.get("/response-areas").json()
    response = english(admin_api).patch(f"/response-areas/{area_id(admin_api, 'system')}", change)
    assert response.status_code == 400, response.json()
    assert fragment in response.json()["detail"], response.json()
    assert admin_api.get("/response-areas").json() == before


def test_a_duplicate_slug_is_a_conflict(admin_api: Api) -> None:
    response = english(admin_api).post(
        "/response-areas", {"slug": "system", "name_ja": "システム", "name_en": "System"}
    )
    assert_error(response, 409, "conflict", "system")


def test_patch_changes_only_what_is_sent(admin_api: Api) -> None:
    people("oto", "dai", "ken")
    set_chain(admin_api, "system", "oto", ["dai", "ken"])
    system = area_id(admin_api, "system")
    response = admin_api.patch(f"/response-areas/{system}", {"name_en": "Systems"})
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["name_en"], body["owner"], body["deputies"]) == ("Systems", "oto", ["dai", "ken"])


def test_a_deputy_made_owner_leaves_the_deputies_and_the_rest_keep_their_order(
    admin_api: Api,
) -> None:
    people("oto", "dai", "ken", "mei")
    set_chain(admin_api, "system", "oto", ["dai", "ken", "mei"])
    body = admin_api.patch(
        f"/response-areas/{area_id(admin_api, 'system')}", {"owner": "ken"}
    ).json()
    assert (body["owner"], body["deputies"]) == ("ken", ["dai", "mei"])


def test_only_admins_change_areas(viewer_api: Api, responder_api: Api) -> None:
    system = area_id(viewer_api, "system")
    for api in (viewer_api, responder_api):
        assert_error(api.patch(f"/response-areas/{system}", {"name_en": "X"}), 403, "forbidden")
        response = api.post("/response-areas", {"slug": "x", "name_ja": "x", "name_en": "x"})
        assert_error(response, 403, "forbidden")


def test_nobody_without_a_login_reads_areas(anonymous_api: Api) -> None:
    assert anonymous_api.get("/response-areas").status_code == 401


def test_an_unknown_area_is_not_found(admin_api: Api) -> None:
    assert_error(admin_api.get("/response-areas/999999"), 404, "not_found")
    assert_error(admin_api.patch("/response-areas/999999", {"name_en": "x"}), 404, "not_found")


def test_people_record_their_own_absence_and_admins_anyones(
    responder_api: Api, admin_api: Api, frozen_clock: MovableClock
) -> None:
    make_user("ken", "responder")
    mine = responder_api.post(
        "/absences",
        {
            "starts_at": "2026-11-26T00:00:00+09:00",
            "ends_at": "2026-11-28T00:00:00+09:00",
            "note": "Family trip",
        },
    )
    assert mine.status_code == 201, mine.json()
    assert mine.json()["user"] == "rei"
    refused = english(responder_api).post(
        "/absences",
        {"user": "ken", "starts_at": "2026-11-26T00:00:00Z", "ends_at": "2026-11-27T00:00:00Z"},
    )
    assert_error(refused, 403, "forbidden", "someone else")
    for_ken = admin_api.post(
        "/absences",
        {"user": "ken", "starts_at": "2026-11-26T00:00:00Z", "ends_at": "2026-11-27T00:00:00Z"},
    )
    assert for_ken.status_code == 201, for_ken.json()
    listed = responder_api.get("/absences").json()
    assert [item["user"] for item in listed["items"]] == ["rei", "ken"]
    assert responder_api.get("/absences", user="ken").json()["count"] == 1
    # Someone else's absence is not theirs to remove; their own is.
    assert_error(responder_api.delete(f"/absences/{for_ken.json()['id']}"), 403, "forbidden")
    assert responder_api.delete(f"/absences/{mine.json()['id']}").status_code == 204
    assert admin_api.delete(f"/absences/{for_ken.json()['id']}").status_code == 204
    assert responder_api.get("/absences").json()["count"] == 0


def test_current_absences_leave_out_those_already_over(
    responder_api: Api, frozen_clock: MovableClock
) -> None:
    responder_api.post(
        "/absences", {"starts_at": "2026-11-01T00:00:00Z", "ends_at": "2026-11-02T00:00:00Z"}
    )
    responder_api.post(
        "/absences", {"starts_at": "2026-11-30T00:00:00Z", "ends_at": "2026-12-02T00:00:00Z"}
    )
    assert responder_api.get("/absences").json()["count"] == 2
    assert responder_api.get("/absences", current="true").json()["count"] == 1


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ({"starts_at": "2026-11-28T00:00:00Z", "ends_at": "2026-11-26T00:00:00Z"}, "end after"),
        ({"starts_at": "2026-11-26T00:00:00", "ends_at": "2026-11-27T00:00:00"}, "time zone"),
        (
            {
                "starts_at": "2026-11-26T00:00:00Z",
                "ends_at": "2026-11-27T00:00:00Z",
                "note": "x" * 201,
            },
            "at most 200",
        ),
    ],
)
def test_bad_absences_are_refused(responder_api: Api, body: dict[str, Any], fragment: str) -> None:
    response = english(responder_api).post("/absences", body)
    assert_error(response, 400, "invalid", fragment)
    assert responder_api.get("/absences").json()["count"] == 0


def test_an_absence_for_an_unknown_person_is_not_found(admin_api: Api) -> None:
    response = admin_api.post(
        "/absences",
        {"user": "ghost", "starts_at": "2026-11-26T00:00:00Z", "ends_at": "2026-11-27T00:00:00Z"},
    )
    assert_error(response, 404, "not_found")


def test_a_viewer_records_their_own_leave(viewer_api: Api) -> None:
    response = viewer_api.post(
        "/absences", {"starts_at": "2026-11-26T00:00:00Z", "ends_at": "2026-11-27T00:00:00Z"}
    )
    assert response.status_code == 201, response.json()
