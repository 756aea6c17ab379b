"""Similar past incidents: by words, services, severity and team; each with its published
retrospective; on the incident's page (a new report's too) and through the API."""

from datetime import UTC, datetime
from typing import Any

import pytest
from django.test import Client

from kizuki.accounts import actions as accounts
from kizuki.accounts.models import User
from kizuki.catalog import actions as catalog
from kizuki.incidents import queries as incident_queries
from kizuki.knowledge import actions
from kizuki.knowledge.queries import similar_incidents
from tests.conftest import PASSWORD, Api
from tests.incidents.support import assert_error
from tests.knowledge.support import filed

pytestmark = pytest.mark.django_db


@pytest.fixture
def past(responder_api: Api) -> dict[str, str]:
    payments = accounts.create_team("payments", "Payments")
    catalog.create_service("checkout", "Checkout", payments)
    catalog.create_service("login", "Login", accounts.create_team("growth", "Growth"))
    made = {
        "timeout": filed(
            responder_api,
            "決済APIのタイムアウト",
            "カード決済がタイムアウトして購入できない",
            services=["checkout"],
            severity=2,
        ),
        "slow": filed(responder_api, "決済基盤の応答遅延", "バッチが詰まった", severity=3),
        "login": filed(responder_api, "ログイン画面の表示崩れ", services=["login"]),
        "english": filed(responder_api, "Checkout payment timeouts", services=["checkout"]),
    }
    refs = {name: incident["number"] for name, incident in made.items()}
    incident = incident_queries.get_incident(refs["timeout"])
    actions.index_document(
        "retrospective",
        1,
        title=f"{refs['timeout']} 振り返り",
        body="決済代行のタイムアウト設定が短すぎた",
        url=f"/incidents/{refs['timeout']}/retrospective/",
        incident_id=incident.pk,
        occurred_at=datetime(2026, 11, 26, tzinfo=UTC),
    )
    return refs


def similar(api: Api, ref: str, **params: Any) -> list[dict[str, Any]]:
    response = api.get(f"/incidents/{ref}/similar", **params)
    assert response.status_code == 200, response.json()
    items: list[dict[str, Any]] = response.json()["items"]
    return items


def test_a_new_report_finds_the_incidents_like_it(
    responder_api: Api, viewer_api: Api, past: dict[str, str]
) -> None:
    new = filed(
        viewer_api, "決済でタイムアウトが多発", "購入できないと問い合わせ", services=["checkout"]
    )
    found = similar(viewer_api, new["number"])
    names = [item["ref"] for item in found]
    # Same words and the same service first; the English one shares the service only.
    assert names[0] == past["timeout"]
    assert set(names) == {past["timeout"], past["slow"], past["english"]}
    assert new["number"] not in names
    assert past["login"] not in names
    first = found[0]
    assert first["retrospective_url"] == f"/incidents/{past['timeout']}/retrospective/"
    assert first["url"] == f"/incidents/{past['timeout']}/"
    assert first["shared_services"] == ["checkout"]
    assert first["severity"] == 2
    assert [item["retrospective_url"] for item in found[1:]] == [None, None]
    assert found == sorted(found, key=lambda item: -item["score"])
    assert len(similar(viewer_api, new["number"], limit=1)) == 1


def test_an_incident_is_not_similar_to_itself(past: dict[str, str], viewer_api: Api) -> None:
    names = [item["ref"] for item in similar(viewer_api, past["timeout"])]
    assert past["timeout"] not in names
    assert names[0] in {past["slow"], past["english"]}


def test_unrelated_incidents_are_not_shown(past: dict[str, str], viewer_api: Api) -> None:
    new = filed(viewer_api, "メール送信の失敗")
    assert similar(viewer_api, new["number"]) == []


def test_for_the_chat_guide_without_a_reader(past: dict[str, str]) -> None:
    incident = incident_queries.get_incident(past["english"])
    found = similar_incidents(incident, 2)
    assert [s.incident.ref for s in found] == [past["timeout"]]
    assert found[0].retrospective_url.endswith("/retrospective/")


def test_who_may_ask(past: dict[str, str], anonymous_api: Api, viewer_api: Api) -> None:
    assert_error(anonymous_api.get(f"/incidents/{past['slow']}/similar"), 401, "unauthenticated")
    assert_error(viewer_api.get("/incidents/INC-999/similar"), 404, "not_found")


def test_the_incident_page_shows_them(past: dict[str, str], viewer: User) -> None:
    client = Client(headers={"Accept-Language": "en"})
    assert client.login(username=viewer.username, password=PASSWORD)
    new = filed(
        Api(client, ""), "決済でタイムアウト", services=["checkout"]
    )  # reported in the browser's session
    page = client.get(f"/incidents/{new['number']}/").content.decode()
    assert 'data-testid="similar-incidents"' in page
    assert "Similar incidents" in page
    assert f'href="/incidents/{past["timeout"]}/"' in page
    assert f'href="/incidents/{past["timeout"]}/retrospective/"' in page
    # The page's live refresh does not compute them again.
    live = client.get(f"/incidents/{new['number']}/", headers={"HX-Request": "true"})
    assert "similar-incidents" not in live.content.decode()
    # An incident with nothing like it shows no panel.
    other = filed(Api(client, ""), "メール送信の失敗")
    page = client.get(f"/incidents/{other['number']}/").content.decode()
    assert "similar-incidents" not in page
