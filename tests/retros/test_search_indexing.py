"""A published retrospective is knowledge: the search box and the API find it by its words
(Japanese ones inside compounds too) and by its incident's number; similar incidents link it.
Reopened, it leaves the index until it is published again."""

from kizuki.accounts.models import User
from tests.conftest import Api, MovableClock
from tests.jobs import run_queued_jobs
from tests.knowledge.support import search
from tests.retros.domain_support import ok, resolved_incident, start

WRITTEN = {
    "direct-cause": "決済APIの接続プールが枯渇し、決済基盤への問い合わせがタイムアウトした。",
    "prevention": "障害の前兆を監視するアラートを追加する。",
}


def publish(api: Api, ref: str) -> None:
    ok(api.patch(f"/incidents/{ref}/retrospective", {"sections": WRITTEN}))
    for to in ("in_review", "published"):
        ok(api.post(f"/incidents/{ref}/retrospective/transitions", {"to": to}))
    run_queued_jobs()


def found(api: Api, q: str) -> list[str]:
    return [item["url"] for item in search(api, q, kind="retrospective")["items"]]


def test_a_published_retrospective_is_found_and_a_reopened_one_is_not(
    responder_api: Api, viewer_api: Api, viewer: User, frozen_clock: MovableClock
) -> None:
    ref = resolved_incident(responder_api, frozen_clock)
    start(responder_api, ref, "incident-review")
    run_queued_jobs()
    url = f"/incidents/{ref}/retrospective/"
    assert found(viewer_api, "決済") == []  # a draft is not knowledge yet

    publish(responder_api, ref)

    for words in ("決済", "障害", "決済基盤", "枯渇", ref):
        assert found(viewer_api, words) == [url], words
    similar = responder_api.post("/incidents", {"title": "決済APIでタイムアウトが多発"}).json()
    run_queued_jobs()
    linked = ok(viewer_api.get(f"/incidents/{similar['number']}/similar"))
    assert url in [item.get("retrospective_url") for item in linked["items"]]

    ok(responder_api.post(f"/incidents/{ref}/retrospective/transitions", {"to": "draft"}))
    run_queued_jobs()
    assert found(viewer_api, "決済") == []
