"""The response areas settings page (everyone reads it, admins edit areas, everyone records
their own absence) and the area-leads panel on the incident's page (the commander changes a
lead there)."""

import re
from html import unescape

import pytest
from django.test import Client

from kizuki.accounts.models import User
from kizuki.core.models import AuditEntry
from tests.areas.support import area_id, declare, people, set_chain
from tests.conftest import Api, MovableClock, make_user

pytestmark = pytest.mark.django_db

URL = "/settings/areas/"


def browser(user: User) -> Client:
    client = Client(headers={"Accept-Language": "en"})
    client.force_login(user)
    return client


def text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def area_form(prefix: str, owner: str = "", *deputies: str) -> dict[str, str]:
    names = [*deputies, "", "", "", ""][:4]
    form = {
        f"{prefix}-owner": owner,
        f"{prefix}-name_ja": "システム",
        f"{prefix}-name_en": "System",
        f"{prefix}-position": "3",
    }
    form.update({f"{prefix}-deputy_{rank}": name for rank, name in enumerate(names, 1)})
    return form


def test_a_viewer_reads_the_areas_and_their_gaps_without_edit_forms(
    viewer: User, frozen_clock: MovableClock
) -> None:
    page = browser(viewer).get(URL)
    assert page.status_code == 200
    html = page.content.decode()
    shown = text(html)
    for name in ("Customers — guests", "Customers — partners", "System", "Bridge"):
        assert name in shown
    assert shown.count("No owner") == 4
    assert 'action="/settings/areas/new/"' not in html
    assert "Record an absence" in shown


def test_an_admin_sets_owner_and_deputies_with_rank_selects(
    admin: User, admin_api: Api, frozen_clock: MovableClock
) -> None:
    people("oto", "dai", "ken")
    system = area_id(admin_api, "system")
    prefix = f"area-{system}"
    # Blank rank selects close up: "-, ken, -, dai" is ken first, then dai.
    response = browser(admin).post(
        f"/settings/areas/{system}/", area_form(prefix, "oto", "", "ken", "", "dai")
    )
    assert response.status_code == 302
    body = admin_api.get(f"/response-areas/{system}").json()
    assert (body["owner"], body["deputies"]) == ("oto", ["ken", "dai"])
    assert AuditEntry.objects.filter(action="response_area.update").count() == 1


def test_the_owner_as_deputy_comes_back_with_the_reason(
    admin: User, admin_api: Api, frozen_clock: MovableClock
) -> None:
    people("oto")
    system = area_id(admin_api, "system")
    response = browser(admin).post(
        f"/settings/areas/{system}/", area_form(f"area-{system}", "oto", "oto")
    )
    assert response.status_code == 400
    assert "oto owns the area and cannot also be its deputy." in text(response.content.decode())
    assert admin_api.get(f"/response-areas/{system}").json()["owner"] is None


def test_others_may_not_edit_areas(responder: User, admin_api: Api) -> None:
    system = area_id(admin_api, "system")
    response = browser(responder).post(f"/settings/areas/{system}/", area_form(f"area-{system}"))
    assert response.status_code == 403
    assert browser(responder).post("/settings/areas/new/", {}).status_code == 403


def test_an_admin_adds_an_area(admin: User, admin_api: Api) -> None:
    form = {"new-slug": "payments", "new-name_ja": "決済", "new-name_en": "Payments"}
    form["new-position"] = "5"
    assert browser(admin).post("/settings/areas/new/", form).status_code == 302
    assert "payments" in [a["slug"] for a in admin_api.get("/response-areas").json()]


def test_a_responder_records_and_removes_their_own_leave(
    responder: User, frozen_clock: MovableClock
) -> None:
    client = browser(responder)
    added = client.post(
        "/settings/areas/absences/",
        {
            "user": "rei",
            "starts_at": "2026-11-26T09:00",
            "ends_at": "2026-11-28T18:00",
            "note": "Summer holiday",
        },
    )
    assert added.status_code == 302
    shown = text(client.get(URL).content.decode())
    assert "Summer holiday" in shown
    assert "2026-11-26 09:00" in shown  # in the reader's zone (Asia/Tokyo)
    absence = responder.absences.get()
    assert client.post(f"/settings/areas/absences/{absence.pk}/remove/").status_code == 302
    assert not responder.absences.exists()


def test_a_responder_may_not_record_someone_elses_leave(
    responder: User, frozen_clock: MovableClock
) -> None:
    ken = make_user("ken", "responder")
    response = browser(responder).post(
        "/settings/areas/absences/",
        {"user": "ken", "starts_at": "2026-11-26T09:00", "ends_at": "2026-11-28T18:00"},
    )
    assert response.status_code == 403
    assert not ken.absences.exists()


def test_an_absence_that_ends_before_it_starts_comes_back(
    responder: User, frozen_clock: MovableClock
) -> None:
    response = browser(responder).post(
        "/settings/areas/absences/",
        {"user": "rei", "starts_at": "2026-11-28T09:00", "ends_at": "2026-11-26T18:00"},
    )
    assert response.status_code == 400
    assert "An absence must end after it starts." in text(response.content.decode())


def test_the_incident_page_shows_the_chain_and_the_commander_changes_a_lead(
    responder: User, responder_api: Api, admin_api: Api, frozen_clock: MovableClock
) -> None:
    people("oto", "ken")
    set_chain(admin_api, "system", "oto", ["ken"])
    ref = declare(responder_api)
    client = browser(responder)
    page = text(client.get(f"/incidents/{ref}/").content.decode())
    assert "Area leads" in page
    assert "System : oto" in page
    assert "deputy 1" in page
    system = area_id(admin_api, "system")
    changed = client.post(f"/incidents/{ref}/areas/{system}/lead/", {"user": "ken"})
    assert changed.status_code == 302
    page = text(client.get(f"/incidents/{ref}/").content.decode())
    assert "System : ken (named by the commander)" in page
    assert "ken now leads System instead of oto." in page


def test_before_declaration_the_panel_is_not_shown(responder: User, responder_api: Api) -> None:
    ref = responder_api.post("/incidents", {"title": "Odd numbers"}).json()["number"]
    assert "Area leads" not in text(browser(responder).get(f"/incidents/{ref}/").content.decode())
