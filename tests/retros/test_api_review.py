"""Review and publication: draft → in review → published (and reopened), reviewers who
approve or comment on a version, section comments, and the events the knowledge index hears."""

from collections.abc import Iterator

import pytest

from kizuki.accounts.models import User
from kizuki.core.events import IN_TRANSACTION, subscribe, unsubscribe
from kizuki.incidents.queries import get_incident
from kizuki.retros import events
from tests.conftest import Api, MovableClock
from tests.retros.domain_support import error, in_language, ok, resolved_incident, start

pytestmark = pytest.mark.django_db

heard: list[events.RetrospectiveEvent] = []


def _record(event: events.RetrospectiveEvent) -> None:
    heard.append(event)


@pytest.fixture
def listening() -> Iterator[list[events.RetrospectiveEvent]]:
    heard.clear()
    subscribe(events.RetrospectiveEvent, _record, delivery=IN_TRANSACTION)
    yield heard
    unsubscribe(events.RetrospectiveEvent, _record)


def doc(ref: str) -> str:
    return f"/incidents/{ref}/retrospective"


def moved(api: Api, ref: str, to: str) -> dict[str, object]:
    body: dict[str, object] = ok(api.post(doc(ref) + "/transitions", {"to": to}))
    return body


def test_review_then_publish_then_reopen(
    responder_api: Api,
    admin: User,
    admin_api: Api,
    viewer: User,
    viewer_api: Api,
    frozen_clock: MovableClock,
    listening: list[events.RetrospectiveEvent],
) -> None:
    api = in_language(responder_api, "en")
    ref = resolved_incident(api, frozen_clock)
    started = start(api, ref, "incident-review")
    error(api.post(doc(ref) + "/transitions", {"to": "published"}), 409, "Draft", "in_review")
    assert moved(api, ref, "in_review")["status"] == "in_review"

    asked = ok(api.post(doc(ref) + "/reviews", {"reviewers": ["aki", "vera"]}), 201)
    assert [(r["reviewer"], r["state"]) for r in asked] == [
        ("aki", "requested"),
        ("vera", "requested"),
    ]
    # Nobody approved yet: publishing is refused, and says why.
    error(api.post(doc(ref) + "/transitions", {"to": "published"}), 409, "approve")
    # A viewer on the committee comments; the admin approves version 1.
    commented = ok(
        in_language(viewer_api, "en").post(
            doc(ref) + "/review", {"state": "commented", "comment": "Name the flag."}
        )
    )
    assert (commented["state"], commented["version"], commented["current"]) == (
        "commented",
        1,
        True,
    )
    ok(admin_api.post(doc(ref) + "/review", {"state": "approved"}))
    # The text changes after the approval: it no longer counts.
    ok(api.patch(doc(ref), {"sections": {"direct-cause": "Flag retries_enabled was off."}}))
    reviews = {r["reviewer"]: r for r in ok(api.get(doc(ref) + "/reviews"))}
    assert reviews["aki"]["state"] == "approved"
    assert reviews["aki"]["current"] is False
    error(api.post(doc(ref) + "/transitions", {"to": "published"}), 409, "current version")
    ok(admin_api.post(doc(ref) + "/review", {"state": "approved", "comment": "Good."}))

    frozen_clock.advance(hours=1)
    published = moved(api, ref, "published")
    assert published["status"] == "published"
    assert published["published_at"] == "2026-11-25T02:42:00Z"
    # Published text is frozen until reopened.
    error(api.patch(doc(ref), {"sections": {"direct-cause": "x"}}), 409, "reopen")
    error(viewer_api.post(doc(ref) + "/review", {"state": "approved"}), 409)
    reopened = moved(api, ref, "draft")
    assert (reopened["status"], reopened["published_at"]) == ("draft", None)
    ok(api.patch(doc(ref), {"sections": {"direct-cause": "Flag retries_enabled."}}))
    moved(api, ref, "in_review")
    assert moved(api, ref, "draft")["status"] == "draft"  # withdrawn from review

    names = [type(e).__name__ for e in listening]
    assert names[:3] == [
        "RetrospectiveRequired",
        "RetrospectiveStarted",
        "RetrospectiveSubmitted",
    ]
    assert "RetrospectivePublished" in names
    assert "RetrospectiveReopened" in names
    assert names[-1] == "RetrospectiveStatusChanged"
    published_event = next(e for e in listening if isinstance(e, events.RetrospectivePublished))
    assert published_event.incident_id == started_incident_id(ref)
    assert published_event.retrospective_id > 0
    assert (published_event.previous, published_event.status) == ("in_review", "published")
    edited = [e for e in listening if isinstance(e, events.RetrospectiveEdited)]
    assert edited[0].fields == ["direct-cause"]
    assert edited[0].version == 2
    assert started["version"] == 1


def started_incident_id(ref: str) -> int:
    return get_incident(ref).pk


def test_without_requested_reviewers_a_review_is_optional(
    responder_api: Api, viewer_api: Api, frozen_clock: MovableClock
) -> None:
    ref = resolved_incident(responder_api, frozen_clock)
    start(responder_api, ref)
    ok(viewer_api.post(doc(ref) + "/review", {"state": "commented", "comment": "Nice."}))
    moved(responder_api, ref, "in_review")
    assert moved(responder_api, ref, "published")["status"] == "published"


def test_the_owner_neither_reviews_nor_approves_their_own(
    responder_api: Api, frozen_clock: MovableClock
) -> None:
    ref = resolved_incident(responder_api, frozen_clock)
    start(responder_api, ref)  # rei starts it, so rei owns it
    error(responder_api.post(doc(ref) + "/reviews", {"reviewers": ["rei"]}), 400, "rei")
    error(responder_api.post(doc(ref) + "/review", {"state": "approved"}), 403)


def test_bad_review_input(
    responder_api: Api, viewer_api: Api, admin: User, frozen_clock: MovableClock
) -> None:
    api = in_language(responder_api, "en")
    ref = resolved_incident(api, frozen_clock)
    start(api, ref)
    assert api.post(doc(ref) + "/reviews", {"reviewers": []}).status_code == 422
    error(api.post(doc(ref) + "/reviews", {"reviewers": ["ghost"]}), 400, "ghost")
    assert viewer_api.post(doc(ref) + "/review", {"state": "requested"}).status_code == 422
    error(viewer_api.post(doc(ref) + "/review", {"state": "commented"}), 400)
    error(viewer_api.post(doc(ref) + "/reviews", {"reviewers": ["aki"]}), 403)
    assert api.post(doc(ref) + "/transitions", {"to": "closed"}).status_code == 422


def test_section_comments(
    responder_api: Api, viewer_api: Api, anonymous_api: Api, frozen_clock: MovableClock
) -> None:
    ref = resolved_incident(responder_api, frozen_clock)
    start(responder_api, ref, "postmortem")
    frozen_clock.advance(minutes=3)
    added = ok(
        viewer_api.post(
            doc(ref) + "/comments", {"section": "cause", "text": "Link the Grafana panel."}
        ),
        201,
    )
    assert (added["section"], added["author"], added["resolved"]) == ("cause", "vera", False)
    error(
        in_language(viewer_api, "en").post(doc(ref) + "/comments", {"section": "x", "text": "?"}),
        400,
        "cause",
    )
    error(viewer_api.post(doc(ref) + "/comments", {"section": "cause", "text": "  "}), 400)
    # Resolving is for those who edit the document.
    error(viewer_api.patch(doc(ref) + f"/comments/{added['id']}", {"resolved": True}), 403)
    resolved = ok(responder_api.patch(doc(ref) + f"/comments/{added['id']}", {"resolved": True}))
    assert (resolved["resolved"], resolved["resolved_by"]) == (True, "rei")
    error(responder_api.patch(doc(ref) + "/comments/999", {"resolved": True}), 404)
    listed = ok(viewer_api.get(doc(ref) + "/comments"))
    assert [c["text"] for c in listed] == ["Link the Grafana panel."]
    assert anonymous_api.get(doc(ref) + "/comments").status_code == 401
