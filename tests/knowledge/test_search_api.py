"""GET /api/v1/search: incident numbers, English stemming, filters, ranking, pages, snippets,
who may search, and what bad input gets."""

from datetime import timedelta
from typing import Any

import pytest

from kizuki.accounts import actions as accounts
from kizuki.catalog import actions as catalog
from kizuki.catalog.models import Service
from kizuki.knowledge import ranking
from tests.conftest import Api, MovableClock
from tests.incidents.support import assert_error
from tests.knowledge.support import filed, refs, search, titles

pytestmark = pytest.mark.django_db


def test_an_incident_number_finds_that_incident(responder_api: Api) -> None:
    made = [filed(responder_api, f"Incident number {n}") for n in range(1, 13)]
    first, tenth = made[0]["number"], made[9]["number"]
    assert (first, tenth) == ("INC-1", "INC-10")
    # INC-1 is not the start of INC-10, INC-11, INC-12.
    assert refs(responder_api, "INC-1") == {"INC-1"}
    assert refs(responder_api, "inc-10") == {"INC-10"}
    assert titles(responder_api, "INC-12")[0] == "INC-12 Incident number 12"


def test_an_incident_number_in_a_text_is_found(responder_api: Api) -> None:
    filed(responder_api, "Checkout down")
    filed(responder_api, "Checkout down again", "Same cause as INC-1, see its retrospective.")
    assert refs(responder_api, "INC-1") == {"INC-1", "INC-2"}


def test_english_words_match_whatever_their_ending(responder_api: Api) -> None:
    ref = filed(responder_api, "Payments failing at checkout", "Timeouts from the bank.")["number"]
    filed(responder_api, "Search page slow")
    for query in ("payment failed", "PAYMENTS", "failure", "fails", "timeout", "checkouts"):
        assert refs(responder_api, query) == {ref}, query
    assert refs(responder_api, "payment slow") == set()


def test_a_match_in_the_title_ranks_first_then_the_newest(
    responder_api: Api, frozen_clock: MovableClock
) -> None:
    filed(responder_api, "Login page slow", "The database was slow.")
    frozen_clock.advance(hours=1)
    filed(responder_api, "Database failover", "Planned switch.")
    frozen_clock.advance(hours=1)
    filed(responder_api, "Queue backlog", "The database was slow.")
    assert titles(responder_api, "database") == [
        "INC-2 Database failover",
        "INC-3 Queue backlog",
        "INC-1 Login page slow",
    ]


@pytest.fixture
def shop(db: None) -> dict[str, Any]:
    payments = accounts.create_team("payments", "Payments")
    growth = accounts.create_team("growth", "Growth")
    return {
        "checkout": catalog.create_service("checkout", "Checkout", payments),
        "signup": catalog.create_service("signup", "Signup", growth),
    }


def test_filters_narrow_the_results(
    responder_api: Api, shop: dict[str, Service], frozen_clock: MovableClock
) -> None:
    a = filed(responder_api, "決済の障害 A", services=["checkout"], severity=2)["number"]
    frozen_clock.advance(days=3)
    b = filed(responder_api, "決済の障害 B", services=["signup"], severity=3)["number"]
    responder_api.post(f"/incidents/{b}/timeline", {"text": "決済の障害は続いている"})
    frozen_clock.advance(days=3)
    c = filed(responder_api, "決済の障害 C", team="payments")["number"]
    assert refs(responder_api, "障害") == {a, b, c}

    assert refs(responder_api, "障害", team="payments") == {a, c}
    assert refs(responder_api, "障害", service="signup") == {b}
    assert refs(responder_api, "障害", severity=2) == {a}
    # Days in the reader's time zone (Asia/Tokyo), both ends included.
    start = frozen_clock.now - timedelta(days=6)
    day = (start + timedelta(hours=9)).date()
    assert refs(responder_api, "障害", since=str(day + timedelta(days=1))) == {b, c}
    assert refs(responder_api, "障害", until=str(day + timedelta(days=3))) == {a, b}
    assert refs(responder_api, "障害", since=str(day + timedelta(days=6))) == {c}
    assert refs(responder_api, "障害", since="0001-01-01", until="9999-12-31") == {a, b, c}
    timeline = search(responder_api, "障害", kind="timeline")["items"]
    assert [(t["kind"], t["incident"]["ref"]) for t in timeline] == [("timeline", b)]
    assert refs(responder_api, "障害", team="nobody") == set()


def test_pages(responder_api: Api) -> None:
    for n in range(5):
        filed(responder_api, f"Disk full {n}")
    first = search(responder_api, "disk", page_size=2)
    assert (first["count"], first["page"], first["pages"], len(first["items"])) == (5, 1, 3, 2)
    last = search(responder_api, "disk", page_size=2, page=3)
    assert len(last["items"]) == 1
    beyond = search(responder_api, "disk", page_size=2, page=9)
    assert (beyond["count"], beyond["items"]) == (5, [])
    seen = [
        i["title"]
        for p in (1, 2, 3)
        for i in search(responder_api, "disk", page_size=2, page=p)["items"]
    ]
    assert sorted(seen) == sorted(f"INC-{n} Disk full {n - 1}" for n in range(1, 6))


def test_pages_past_the_ranked_candidates(
    responder_api: Api, frozen_clock: MovableClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only the newest matches (and the newest with the words in their title) are ranked;
    the others follow, newest first, and every match is on exactly one page."""
    monkeypatch.setattr(ranking, "CANDIDATES", 3)
    monkeypatch.setattr(ranking, "TITLE_CANDIDATES", 2)
    filed(responder_api, "Disk full", "disk disk disk")  # INC-1: old, but named after it
    for n in range(2, 8):
        frozen_clock.advance(hours=1)
        filed(responder_api, f"Alert {n}", "the disk is slow" if n % 2 else "a disk")
    pages = [search(responder_api, "disk", page_size=2, page=p) for p in (1, 2, 3, 4)]
    seen = [item["title"] for page in pages for item in page["items"]]
    assert sorted(seen) == sorted(["INC-1 Disk full"] + [f"INC-{n} Alert {n}" for n in range(2, 8)])
    # The title match leads; after the candidates the older ones come newest first.
    assert seen[0] == "INC-1 Disk full"
    assert seen[4:] == ["INC-4 Alert 4", "INC-3 Alert 3", "INC-2 Alert 2"]
    assert {page["count"] for page in pages} == {7}


def test_the_snippet_escapes_the_text_and_marks_the_matches(responder_api: Api) -> None:
    filed(
        responder_api,
        "Checkout page broken",
        'The page shows <script>alert("x")</script> & <b>payment</b> errors.',
    )
    (hit,) = search(responder_api, "payment")["items"]
    assert hit["snippet"] == (
        "The page shows &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; "
        "&lt;b&gt;<mark>payment</mark>&lt;/b&gt; errors."
    )
    assert hit["kind"] == "incident"
    assert hit["url"] == "/incidents/INC-1/"


def test_a_long_text_is_cut_around_the_matches(responder_api: Api) -> None:
    words = " ".join(f"word{n}" for n in range(200))
    filed(responder_api, "Long report", f"{words} the needle is here {words}")
    (hit,) = search(responder_api, "needle")["items"]
    assert "<mark>needle</mark>" in hit["snippet"]
    assert hit["snippet"].startswith("…")
    assert hit["snippet"].endswith("…")
    assert len(hit["snippet"]) < 220


def test_a_viewer_searches_and_anonymous_gets_401(
    responder_api: Api, viewer_api: Api, anonymous_api: Api
) -> None:
    filed(responder_api, "決済APIで障害")
    assert search(viewer_api, "障害")["count"] == 1
    assert_error(anonymous_api.get("/search", q="障害"), 401, "unauthenticated")


@pytest.mark.parametrize(
    ("params", "status", "code"),
    [
        ({}, 400, "invalid"),
        ({"q": "   "}, 400, "invalid"),
        ({"q": "!!! ???"}, 400, "invalid"),
        ({"q": "x" * 201}, 422, "invalid"),
        ({"q": "障害", "kind": "poem"}, 400, "invalid"),
        ({"q": "障害", "severity": "9"}, 422, "invalid"),
        ({"q": "障害", "since": "yesterday"}, 422, "invalid"),
        ({"q": "障害", "since": "2026-11-02", "until": "2026-11-01"}, 400, "invalid"),
        ({"q": "障害", "page": "0"}, 422, "invalid"),
        ({"q": "障害", "page_size": "1000"}, 422, "invalid"),
    ],
)
def test_bad_input_says_what_is_wrong(
    viewer_api: Api, params: dict[str, str], status: int, code: str
) -> None:
    response = viewer_api.get("/search", **params)
    assert response.status_code == status, response.json()
    assert response.json()["detail"].strip()


def test_every_term_must_be_present(responder_api: Api) -> None:
    filed(responder_api, "Payment API down", "決済APIが落ちた")
    assert search(responder_api, "payment 決済")["count"] == 1
    assert search(responder_api, "payment 配送")["count"] == 0
