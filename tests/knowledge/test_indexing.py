"""The index follows the incidents: each change is indexed by the worker after it committed
(a job queued in the change's transaction), and other apps push their own documents."""

import io
from datetime import UTC, datetime

import pytest
from django.core.management import call_command
from django.utils import translation

from kizuki.accounts import actions as accounts
from kizuki.catalog import actions as catalog
from kizuki.core.errors import InvalidInput
from kizuki.incidents import queries as incident_queries
from kizuki.knowledge import actions
from tests.conftest import Api
from tests.jobs import run_queued_jobs
from tests.knowledge.support import filed, refs, search, titles

pytestmark = pytest.mark.django_db


def kinds(api: Api, q: str) -> list[str]:
    return sorted(item["kind"] for item in search(api, q)["items"])


def test_a_report_is_found_once_the_worker_ran(responder_api: Api) -> None:
    response = responder_api.post("/incidents", {"title": "決済APIで障害"})
    assert response.status_code == 201
    # Nothing is indexed inside the request: the job waits for the worker.
    assert search(responder_api, "障害")["count"] == 0
    run_queued_jobs()
    assert refs(responder_api, "障害") == {"INC-1"}


def test_notes_are_indexed_edited_and_removed(responder_api: Api) -> None:
    ref = filed(responder_api, "Checkout down")["number"]
    note = responder_api.post(f"/incidents/{ref}/timeline", {"text": "DBのフェイルオーバーを実施"})
    entry = note.json()["id"]
    run_queued_jobs()
    (hit,) = search(responder_api, "フェイルオーバー")["items"]
    assert (hit["kind"], hit["incident"]["ref"], hit["url"]) == (
        "timeline",
        ref,
        f"/incidents/{ref}/#timeline",
    )
    assert hit["title"] == f"{ref} Checkout down"
    assert "<mark>フェイルオーバー</mark>" in hit["snippet"]

    responder_api.patch(f"/incidents/{ref}/timeline/{entry}", {"text": "キャッシュを再起動した"})
    run_queued_jobs()
    assert search(responder_api, "フェイルオーバー")["count"] == 0
    assert kinds(responder_api, "再起動") == ["timeline"]

    responder_api.delete(f"/incidents/{ref}/timeline/{entry}")
    run_queued_jobs()
    assert search(responder_api, "再起動")["count"] == 0


def test_a_note_is_found_by_its_words_not_by_its_incidents_title(responder_api: Api) -> None:
    ref = filed(responder_api, "決済の障害")["number"]
    responder_api.post(f"/incidents/{ref}/timeline", {"text": "再起動した"})
    run_queued_jobs()
    assert kinds(responder_api, "決済") == ["incident"]


def test_status_updates_are_indexed_with_their_plain_version(responder_api: Api) -> None:
    ref = filed(responder_api, "Checkout down", severity=2)["number"]
    responder_api.post(
        f"/incidents/{ref}/status-updates",
        {
            "text": "Rolled back the deploy",
            "audience": "stakeholders",
            "plain_text": "お支払いは復旧しつつあります",
        },
    )
    run_queued_jobs()
    assert kinds(responder_api, "rollback deploy") == []  # "rolled back" is two words
    assert kinds(responder_api, "rolled deploy") == ["status_update"]
    (hit,) = search(responder_api, "復旧")["items"]
    assert (hit["kind"], hit["url"]) == ("status_update", f"/incidents/{ref}/#latest-status")


def test_edits_reach_the_index_and_every_document_of_the_incident(responder_api: Api) -> None:
    team = accounts.create_team("payments", "Payments")
    catalog.create_service("checkout", "Checkout", team)
    ref = filed(responder_api, "Something is wrong")["number"]
    responder_api.post(f"/incidents/{ref}/timeline", {"text": "カード決済が失敗"})
    run_queued_jobs()
    assert refs(responder_api, "決済") == set()

    responder_api.patch(
        f"/incidents/{ref}",
        {"title": "決済の障害", "services": ["checkout"], "customers_affected": "全ての購入者"},
    )
    responder_api.post(f"/incidents/{ref}/transitions", {"to": "declared", "severity": 2})
    run_queued_jobs()
    assert refs(responder_api, "決済") == {ref}
    assert refs(responder_api, "購入者") == {ref}
    # The note now carries the incident's new facts and title.
    (note,) = search(responder_api, "失敗", service="checkout", severity=2)["items"]
    assert note["title"] == f"{ref} 決済の障害"
    assert (note["services"], note["severity"]) == (["checkout"], 2)
    assert titles(responder_api, "wrong") == []


def test_another_app_pushes_and_removes_its_documents(responder_api: Api) -> None:
    ref = filed(responder_api, "Checkout down", severity=2)["number"]
    incident = incident_queries.get_incident(ref)
    actions.index_document(
        "retrospective",
        41,
        title=f"{ref} 振り返り: 決済の停止",
        body="## 原因\n証明書の期限切れ。",
        lessons="証明書の期限を監視する",
        url=f"/incidents/{ref}/retrospective/",
        incident_id=incident.pk,
        occurred_at=datetime(2026, 11, 26, tzinfo=UTC),
    )
    (hit,) = search(responder_api, "証明書", kind="retrospective")["items"]
    assert (hit["severity"], hit["incident"]["ref"]) == (2, ref)
    # Found through its lessons too, with the lessons as the snippet.
    (hit,) = search(responder_api, "監視")["items"]
    assert hit["snippet"] == "証明書の期限を<mark>監視</mark>する"
    # Indexing again replaces it.
    actions.index_document(
        "retrospective",
        "41",
        title=f"{ref} 振り返り",
        body="更新した本文",
        url="/x/",
        incident_id=incident.pk,
        occurred_at=datetime(2026, 11, 26, tzinfo=UTC),
    )
    assert search(responder_api, "証明書")["count"] == 0
    assert search(responder_api, "本文")["count"] == 1

    assert actions.remove_document("retrospective", 41) is True
    assert actions.remove_document("retrospective", 41) is False
    assert search(responder_api, "本文")["count"] == 0


def test_a_pushed_document_is_checked(db: None) -> None:
    when = datetime(2026, 11, 26, tzinfo=UTC)
    with pytest.raises(InvalidInput):
        actions.index_document(
            "poem", 1, title="x", body="", url="/", incident_id=None, occurred_at=when
        )
    with pytest.raises(InvalidInput):
        actions.index_document(
            "risk", 1, title="x", body="", url="/", incident_id=99, occurred_at=when
        )
    with pytest.raises(InvalidInput):
        actions.index_document(
            "risk",
            1,
            title="x",
            body="",
            url="/",
            incident_id=None,
            occurred_at=when.replace(tzinfo=None),
        )


def rebuild() -> str:
    out = io.StringIO()
    with translation.override("en"):
        call_command("search-index", "rebuild", stdout=out)
    return out.getvalue()


def test_the_rebuild_command_indexes_what_was_missed(responder_api: Api) -> None:
    responder_api.post("/incidents", {"title": "決済の障害", "description": "遅延が続く"})
    ref = "INC-1"
    responder_api.post(f"/incidents/{ref}/timeline", {"text": "再起動した"})
    responder_api.post(f"/incidents/{ref}/status-updates", {"text": "復旧中"})
    # The worker never ran: nothing is indexed yet.
    assert search(responder_api, "障害")["count"] == 0

    output = rebuild()
    assert output.startswith("Search index rebuilt")
    assert "incident: 3" in output
    assert sorted(kinds(responder_api, "障害")) == ["incident"]
    assert kinds(responder_api, "再起動") == ["timeline"]
    assert kinds(responder_api, "復旧") == ["status_update"]
    # Again: the same index, nothing twice.
    rebuild()
    assert search(responder_api, "再起動")["count"] == 1
    assert search(responder_api, "遅延")["count"] == 1
