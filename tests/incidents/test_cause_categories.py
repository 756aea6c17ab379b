"""Cause categories (issue 13): the catalogue a new installation starts with, setting and
clearing an incident's cause through the API and the incident page, refusals that change
nothing, and a retired category that stays on the incidents that have it."""

import re
from typing import Any

import pytest
from django.test import Client

from kizuki.accounts.models import User
from kizuki.core.models import AuditEntry
from kizuki.incidents.models import CauseCategory, Incident
from tests.conftest import Api
from tests.incidents.support import assert_error, english, incident_in, look, row_counts

pytestmark = pytest.mark.django_db

DEFAULT_SLUGS = [
    "change",
    "configuration",
    "capacity",
    "dependency",
    "infrastructure",
    "defect",
    "operation",
    "security",
    "unknown",
]


@pytest.fixture
def api(responder_api: Api) -> Api:
    return english(responder_api)


def test_the_default_categories_are_listed_in_order(viewer_api: Api) -> None:
    response = viewer_api.get("/cause-categories")

    assert response.status_code == 200
    body: list[dict[str, Any]] = response.json()
    assert [c["slug"] for c in body] == DEFAULT_SLUGS
    change = body[0]
    assert (change["name_ja"], change["name_en"]) == ("変更・リリース", "Change or release")
    assert change["name"] == "変更・リリース"  # the reader's language: Japanese by default
    assert change["is_active"] is True
    assert english(viewer_api).get("/cause-categories").json()[0]["name"] == "Change or release"


def test_listing_needs_a_signed_in_person(client: Client) -> None:
    assert client.get("/api/v1/cause-categories").status_code == 401


def test_a_responder_sets_and_clears_the_cause(api: Api) -> None:
    ref = incident_in(api, "declared")
    assert api.get(f"/incidents/{ref}").json()["cause_category"] is None

    response = api.patch(f"/incidents/{ref}", {"cause_category": "capacity"})

    assert response.status_code == 200, response.json()
    incident, timeline = look(api, ref)
    assert incident["cause_category"] == "capacity"
    assert timeline[-1]["text"] == "Details edited: cause category."
    audit = AuditEntry.objects.filter(action="incident.update").latest("pk")
    assert audit.before is not None
    assert audit.after is not None
    assert (audit.before["cause_category"], audit.after["cause_category"]) == (None, "capacity")

    cleared = api.patch(f"/incidents/{ref}", {"cause_category": None})

    assert cleared.status_code == 200, cleared.json()
    assert api.get(f"/incidents/{ref}").json()["cause_category"] is None
    assert Incident.objects.get().cause_category is None


def test_setting_the_same_cause_again_records_nothing(api: Api) -> None:
    ref = incident_in(api, "declared")
    api.patch(f"/incidents/{ref}", {"cause_category": "change"})
    before = len(api.get(f"/incidents/{ref}/timeline").json())

    assert api.patch(f"/incidents/{ref}", {"cause_category": "change"}).status_code == 200

    assert len(api.get(f"/incidents/{ref}/timeline").json()) == before


def test_an_unknown_cause_is_refused_and_changes_nothing(api: Api) -> None:
    ref = incident_in(api, "declared")
    api.patch(f"/incidents/{ref}", {"cause_category": "change"})
    before = row_counts()

    response = api.patch(f"/incidents/{ref}", {"title": "Renamed", "cause_category": "gremlins"})

    assert_error(response, 400, "invalid", "gremlins", "change", "capacity")
    assert row_counts() == before
    incident = api.get(f"/incidents/{ref}").json()
    assert (incident["title"], incident["cause_category"]) == ("Checkout fails", "change")


def test_a_cause_that_is_not_text_is_refused(api: Api) -> None:
    ref = incident_in(api, "declared")
    response = api.patch(f"/incidents/{ref}", {"cause_category": 3})
    assert response.status_code == 422
    assert api.get(f"/incidents/{ref}").json()["cause_category"] is None


def test_a_viewer_cannot_set_the_cause(viewer_api: Api, api: Api) -> None:
    ref = incident_in(api, "declared")
    response = viewer_api.patch(f"/incidents/{ref}", {"cause_category": "change"})
    assert response.status_code == 403
    assert Incident.objects.get().cause_category is None


def test_a_retired_category_is_not_offered_but_stays_where_it_is(api: Api) -> None:
    ref = incident_in(api, "declared")
    other = incident_in(api, "declared")
    api.patch(f"/incidents/{ref}", {"cause_category": "security"})
    CauseCategory.objects.filter(slug="security").update(is_active=False)

    refused = api.patch(f"/incidents/{other}", {"cause_category": "security"})
    kept = api.patch(f"/incidents/{ref}", {"title": "Renamed", "cause_category": "security"})

    assert_error(refused, 400, "invalid", "security")
    assert kept.status_code == 200, kept.json()
    assert kept.json()["cause_category"] == "security"
    listed = {c["slug"]: c["is_active"] for c in api.get("/cause-categories").json()}
    assert listed["security"] is False


# --- the incident page ---------------------------------------------------------------------


def browser(user: User, language: str = "en") -> Client:
    client = Client(headers={"Accept-Language": language})
    client.force_login(user)
    return client


def test_the_edit_form_sets_the_cause_shown_in_the_header(responder: User, api: Api) -> None:
    ref = incident_in(api, "declared")
    client = browser(responder)
    form = client.get(f"/incidents/{ref}/").content.decode()
    assert '<option value="capacity">Capacity or load</option>' in form

    response = client.post(
        f"/incidents/{ref}/edit/",
        {"title": "Checkout fails", "severity": "3", "cause_category": "capacity"},
        follow=True,
    )

    html = response.content.decode()
    assert response.redirect_chain
    assert 'data-testid="cause-category">Cause: Capacity or load<' in html
    assert '<option value="capacity" selected>Capacity or load</option>' in html
    assert Incident.objects.get().cause_category == CauseCategory.objects.get(slug="capacity")
    japanese = browser(responder, "ja").get(f"/incidents/{ref}/").content.decode()
    # The category's own name in the reader's language (the wording around it is the catalogue's).
    assert re.search(r'data-testid="cause-category">[^<]*容量・負荷<', japanese)


def test_the_edit_form_refuses_an_unknown_cause_and_keeps_the_typing(
    responder: User, api: Api
) -> None:
    ref = incident_in(api, "declared")
    before = row_counts()

    response = browser(responder).post(
        f"/incidents/{ref}/edit/",
        {"title": "Typed title", "severity": "3", "cause_category": "gremlins"},
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="Typed title"' in html
    assert "Select a valid choice" in html
    assert row_counts() == before


def test_a_retired_category_stays_choosable_on_its_incident(responder: User, api: Api) -> None:
    ref = incident_in(api, "declared")
    other = incident_in(api, "declared")
    api.patch(f"/incidents/{ref}", {"cause_category": "security"})
    CauseCategory.objects.filter(slug="security").update(is_active=False)
    client = browser(responder)

    assert '<option value="security" selected>' in client.get(f"/incidents/{ref}/").content.decode()
    assert 'value="security"' not in client.get(f"/incidents/{other}/").content.decode()
    # Saving the form untouched keeps it.
    client.post(
        f"/incidents/{ref}/edit/",
        {"title": "Renamed", "severity": "3", "cause_category": "security"},
        follow=True,
    )
    assert Incident.objects.get(title="Renamed").cause_category is not None


# --- after resolution: the cause alone (classified at the retrospective) -------------------


@pytest.mark.parametrize("status", ["resolved", "closed", "false_alarm"])
def test_the_cause_alone_changes_on_a_finished_incident(api: Api, status: str) -> None:
    ref = incident_in(api, status)

    response = api.patch(f"/incidents/{ref}", {"cause_category": "capacity"})

    assert response.status_code == 200, response.json()
    incident, timeline = look(api, ref)
    assert (incident["status"], incident["cause_category"]) == (status, "capacity")
    assert timeline[-1]["text"] == "Details edited: cause category."
    audit = AuditEntry.objects.filter(action="incident.update").latest("pk")
    assert audit.before is not None
    assert audit.after is not None
    assert (audit.before["cause_category"], audit.after["cause_category"]) == (None, "capacity")
    changed = api.patch(f"/incidents/{ref}", {"cause_category": "defect"})
    assert changed.json()["cause_category"] == "defect"
    cleared = api.patch(f"/incidents/{ref}", {"cause_category": None})
    assert cleared.json()["cause_category"] is None


def test_other_fields_of_a_closed_incident_are_still_refused(api: Api) -> None:
    ref = incident_in(api, "closed")
    before = row_counts()

    with_title = api.patch(f"/incidents/{ref}", {"title": "Renamed", "cause_category": "change"})
    title_only = api.patch(f"/incidents/{ref}", {"title": "Renamed"})

    assert_error(with_title, 409, "conflict", ref, "Closed")
    assert_error(title_only, 409, "conflict", ref)
    assert row_counts() == before
    incident = api.get(f"/incidents/{ref}").json()
    assert (incident["title"], incident["cause_category"]) == ("Checkout fails", None)


def test_a_viewer_cannot_set_the_cause_of_a_closed_incident(viewer_api: Api, api: Api) -> None:
    ref = incident_in(api, "closed")
    assert viewer_api.patch(f"/incidents/{ref}", {"cause_category": "change"}).status_code == 403
    assert browser_post_refused(viewer_api, ref)
    assert Incident.objects.get().cause_category is None


def browser_post_refused(viewer_api: Api, ref: str) -> bool:
    assert viewer_api.user is not None
    response = browser(viewer_api.user).post(f"/incidents/{ref}/cause/", {"cause_category": "x"})
    return response.status_code == 403


def test_the_closed_incidents_page_has_a_cause_form(responder: User, api: Api) -> None:
    ref = incident_in(api, "closed")
    client = browser(responder)
    page = client.get(f"/incidents/{ref}/").content.decode()
    assert 'data-testid="read-only"' in page
    assert f'action="/incidents/{ref}/cause/"' in page
    assert 'id="id_cause_cause_category"' in page
    assert "Edit details" not in page  # the rest is the record

    response = client.post(
        f"/incidents/{ref}/cause/", {"cause_category": "configuration"}, follow=True
    )

    html = response.content.decode()
    assert response.redirect_chain
    assert 'data-testid="cause-category">Cause: Configuration' in html
    assert Incident.objects.get().cause_category == CauseCategory.objects.get(slug="configuration")
    entries = api.get(f"/incidents/{ref}/timeline").json()
    assert entries[-1]["text"] == "Details edited: cause category."


def test_the_cause_form_refuses_an_unknown_cause(responder: User, api: Api) -> None:
    ref = incident_in(api, "closed")
    before = row_counts()

    response = browser(responder).post(f"/incidents/{ref}/cause/", {"cause_category": "gremlins"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "Select a valid choice" in html
    assert re.search(r'<details class="edit-incident" id="cause_form" open>', html)
    assert row_counts() == before


def test_an_open_incidents_page_keeps_the_cause_in_its_edit_form(responder: User, api: Api) -> None:
    ref = incident_in(api, "resolved")
    page = browser(responder).get(f"/incidents/{ref}/").content.decode()
    assert "Edit details" in page
    assert 'id="id_edit_cause_category"' in page
    assert 'id="cause_form"' not in page


def test_the_retrospective_shows_the_cause_and_links_to_its_form(
    responder: User, viewer: User, api: Api
) -> None:
    ref = incident_in(api, "closed")
    assert api.post(f"/incidents/{ref}/retrospective", {}).status_code == 201
    page = browser(responder).get(f"/incidents/{ref}/retrospective/").content.decode()
    assert 'data-testid="retro-cause">Cause: not yet known<' in page
    assert (
        f'href="/incidents/{ref}/#id_cause_cause_category" data-testid="retro-cause-link">Classify'
        in page
    )

    api.patch(f"/incidents/{ref}", {"cause_category": "dependency"})
    page = browser(responder).get(f"/incidents/{ref}/retrospective/").content.decode()
    assert re.search(r'data-testid="retro-cause">Cause: [^<]+<', page)
    assert "Change the cause" in page
    as_viewer = browser(viewer).get(f"/incidents/{ref}/retrospective/").content.decode()
    assert 'data-testid="retro-cause">Cause:' in as_viewer
    assert "retro-cause-link" not in as_viewer
