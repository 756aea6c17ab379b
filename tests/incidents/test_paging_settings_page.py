"""The paging settings page: admins choose the triage policy, the key people and business
hours in a plain form; everyone else is refused; reading the settings never writes them."""

import re
from html import unescape
from typing import Any

import pytest
from django.test import Client

from kizuki.accounts import actions as accounts
from kizuki.accounts.models import User
from kizuki.core.models import AuditEntry
from kizuki.incidents.paging_models import PagingSettings
from tests.conftest import Api, MovableClock, make_user
from tests.incidents.support import english
from tests.notify.support import create_policy, step

pytestmark = pytest.mark.django_db

URL = "/settings/paging/"


def browser(user: User) -> Client:
    client = Client(headers={"Accept-Language": "en"})
    client.force_login(user)
    return client


def errors_next_to(html: str, field: str) -> list[str]:
    """The error messages Django renders for one field (its errorlist carries the field's id)."""
    found = re.search(rf'<ul class="errorlist" id="id_{field}_error">(.*?)</ul>', html, re.S)
    return (
        [unescape(item) for item in re.findall(r"<li>(.*?)</li>", found.group(1))] if found else []
    )


def text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


@pytest.fixture
def choices(admin_api: Api) -> dict[str, Any]:
    """Two policies, people and a team to choose from."""
    make_user("kei", "responder")
    mei = make_user("mei", "responder")
    mei.first_name = "Mei Ito"
    mei.save()
    leads = accounts.create_team("leads", "Leads")
    accounts.add_member(leads, mei)
    return {
        "triage": create_policy(admin_api, "Triage", [step(("user", "kei"))]),
        "executives": create_policy(admin_api, "Executives", [step(("user", "mei"))]),
    }


def form_data(choices: dict[str, Any], **changes: Any) -> dict[str, Any]:
    data = {
        "triage_policy": choices["triage"]["id"],
        "key_people": ["kei", "mei"],
        "key_teams": ["leads"],
        "key_policy": choices["executives"]["id"],
        "key_people_out_of_hours_only": "on",
        "business_day_start": "09:30",
        "business_day_end": "18:30",
    }
    return data | changes


def test_an_admin_sets_who_is_paged_and_the_api_says_the_same(
    admin: User, admin_api: Api, choices: dict[str, Any], frozen_clock: MovableClock
) -> None:
    client = browser(admin)
    page = client.get(URL)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Paging settings" in html
    assert "Times are in Asia/Tokyo" in text(html)
    assert "Japanese public holidays count as outside business hours" in text(html)
    # Wednesday 25 November 2026, 10:00 in Tokyo.
    assert "It is business hours now." in html
    assert "Mei Ito (mei)" in html
    assert not PagingSettings.objects.exists()  # reading wrote nothing

    saved = client.post(URL, form_data(choices), follow=True)
    assert saved.redirect_chain == [(URL, 302)]
    assert "Paging settings saved." in saved.content.decode()
    assert english(admin_api).get("/paging-settings").json() == {
        "triage_policy": choices["triage"]["id"],
        "key_people": ["kei", "mei"],
        "key_teams": ["leads"],
        "key_policy": choices["executives"]["id"],
        "key_people_out_of_hours_only": True,
        "business_day_start": "09:30",
        "business_day_end": "18:30",
    }
    assert AuditEntry.objects.filter(action="paging_settings.update").count() == 1
    # The form shows what is saved.
    html = client.get(URL).content.decode()
    assert f'<option value="{choices["triage"]["id"]}" selected>Triage</option>' in html
    assert re.search(r'value="kei"[^>]*checked', html)
    assert 'value="09:30"' in html

    # Clearing: no triage policy, no key people.
    cleared = form_data(choices, triage_policy="", key_people=[], key_teams=[], key_policy="")
    del cleared["key_people_out_of_hours_only"]
    assert client.post(URL, cleared).status_code == 302
    assert english(admin_api).get("/paging-settings").json() | {
        "business_day_start": "",
        "business_day_end": "",
    } == {
        "triage_policy": None,
        "key_people": [],
        "key_teams": [],
        "key_policy": None,
        "key_people_out_of_hours_only": False,
        "business_day_start": "",
        "business_day_end": "",
    }


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"business_day_start": "18:00", "business_day_end": "09:00"},
            "business_day_end",
            "Business hours must end after they start.",
        ),
        (
            {"business_day_start": "09:00+09:00"},
            "business_day_start",
            "Give business hours as local times without a zone, e.g. 09:00.",
        ),
        ({"business_day_end": "half past six"}, "business_day_end", "Enter a valid time."),
        ({"triage_policy": "999"}, "triage_policy", "Select a valid choice."),
        ({"key_people": ["kei", "ghost"]}, "key_people", "Select a valid choice."),
    ],
)
def test_bad_input_is_shown_next_to_its_field_and_changes_nothing(
    admin: User,
    choices: dict[str, Any],
    changes: dict[str, Any],
    field: str,
    message: str,
    frozen_clock: MovableClock,
) -> None:
    response = browser(admin).post(URL, form_data(choices, **changes))

    assert response.status_code == 200
    html = response.content.decode()
    assert [m for m in errors_next_to(html, field) if m.startswith(message)], html
    assert not PagingSettings.objects.exists()
    # What was typed is kept.
    assert 'value="09:30"' in html or "business_day_start" in changes
    assert re.search(r'value="kei"[^>]*checked', html)


def test_the_api_refuses_the_same_business_hours(
    admin_api: Api, frozen_clock: MovableClock
) -> None:
    api = english(admin_api)
    backwards = api.patch(
        "/paging-settings", {"business_day_start": "18:00", "business_day_end": "09:00"}
    )
    assert backwards.status_code == 400
    assert backwards.json()["detail"] == "Business hours must end after they start."
    zoned = api.patch("/paging-settings", {"business_day_start": "09:00:00+09:00"})
    assert zoned.status_code == 400
    assert zoned.json()["detail"] == (
        "Give business hours as local times without a zone, e.g. 09:00."
    )
    assert not PagingSettings.objects.exists()


def test_only_admins_may_open_or_change_it(
    viewer: User, responder: User, responder_api: Api, choices: dict[str, Any]
) -> None:
    for person in (viewer, responder):
        client = browser(person)
        assert client.get(URL).status_code == 403
        assert client.post(URL, form_data(choices)).status_code == 403
        assert "/settings/paging/" not in client.get("/").content.decode()
    assert not PagingSettings.objects.exists()
    # Reading through the API writes nothing either.
    assert responder_api.get("/paging-settings").status_code == 200
    assert not PagingSettings.objects.exists()
    anonymous = Client().get(URL)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/login/")


def test_the_header_menu_links_admins_to_it(admin: User) -> None:
    html = browser(admin).get("/").content.decode()
    assert f'<a href="{URL}">Paging settings</a>' in html
