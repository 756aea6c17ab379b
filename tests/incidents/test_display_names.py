"""The timeline and the roles name people as they are known (their display name), and the
paging entries read as sentences in the reader's language ("田中 玲 を メール で…")."""

import pytest
from django.test import Client

from kizuki.accounts.actions import create_user
from kizuki.accounts.models import User
from kizuki.incidents.queries import get_incident
from kizuki.incidents.timeline_actions import record_paging_event
from tests.conftest import Api
from tests.incidents.support import english, report

pytestmark = pytest.mark.django_db


@pytest.fixture
def tanaka(db: None) -> User:
    return create_user("tanaka", "responder", display_name="田中 玲", email="t@example.test")


def page(user: User, ref: str, language: str) -> str:
    client = Client(headers={"Accept-Language": language})
    client.force_login(user)
    response = client.get(f"/incidents/{ref}/")
    assert response.status_code == 200
    return str(response.content.decode())


def test_roles_and_role_entries_show_the_display_name(responder_api: Api, tanaka: User) -> None:
    ref = report(responder_api)["number"]
    assigned = responder_api.post(
        f"/incidents/{ref}/roles", {"role": "incident_commander", "user": "tanaka"}
    )
    assert assigned.status_code == 201, assigned.json()
    texts = [e["text"] for e in english(responder_api).get(f"/incidents/{ref}/timeline").json()]
    assert texts[-1] == "田中 玲 assigned as Incident Commander."

    html = page(tanaka, ref, "en")
    assert "田中 玲 assigned as Incident Commander." in html
    assert "tanaka assigned" not in html
    # The note's author is named by display name too.
    client = Client(headers={"Accept-Language": "en"})
    client.force_login(tanaka)
    client.post(f"/incidents/{ref}/timeline/", {"text": "DB を確認中"})
    assert '<span class="meta">田中 玲' in page(tanaka, ref, "en")


def test_paging_entries_name_the_person_and_the_method(responder_api: Api, tanaka: User) -> None:
    ref = report(responder_api)["number"]
    incident = get_incident(ref)
    record_paging_event(incident, "page_sent", tanaka, user="tanaka", method="email")
    record_paging_event(incident, "page_sent", None, user="#ops", method="slack")
    record_paging_event(incident, "page_acknowledged", tanaka, user="tanaka")

    assert "田中 玲 を メール で呼び出しました。" in page(tanaka, ref, "ja")
    texts = [e["text"] for e in english(responder_api).get(f"/incidents/{ref}/timeline").json()]
    assert texts[-3:] == [
        "Paged 田中 玲 by E-mail.",
        "Paged #ops by Slack.",
        "田中 玲 acknowledged the page.",
    ]
