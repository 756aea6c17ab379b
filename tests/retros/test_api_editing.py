"""Editing a retrospective: sections by key, owner and due date; a version per save that
changed text, with diffs; the AI's `drafted` mark until a person edits; who may edit."""

import pytest

from kizuki.accounts.models import User
from kizuki.core.models import AuditEntry
from kizuki.retros import actions, queries
from kizuki.retros.models import Retrospective
from tests.conftest import Api, MovableClock
from tests.retros.domain_support import error, in_language, ok, resolved_incident, section, start

pytestmark = pytest.mark.django_db


def doc(api: Api, ref: str) -> str:
    return f"/incidents/{ref}/retrospective"


def test_each_save_that_changes_text_is_a_version_with_a_diff(
    responder_api: Api, viewer_api: Api, frozen_clock: MovableClock
) -> None:
    api = in_language(responder_api, "en")
    ref = resolved_incident(api, frozen_clock)
    start(api, ref, "response-record")
    frozen_clock.advance(minutes=5)

    edited = ok(
        api.patch(
            doc(api, ref),
            {
                "sections": {
                    "final-cause": "A config flag\nturned off retries.",
                    "prevention": "Alert",
                }
            },
        )
    )
    assert edited["version"] == 2
    assert section(edited, "final-cause")["body"] == "A config flag\nturned off retries."
    assert section(edited, "final-cause")["updated_by"] == "rei"
    # The same text again is no new version.
    again = ok(api.patch(doc(api, ref), {"sections": {"prevention": "Alert"}}))
    assert again["version"] == 2
    ok(api.patch(doc(api, ref), {"sections": {"final-cause": "A config flag\nturned off retry."}}))

    versions = ok(viewer_api.get(doc(api, ref) + "/versions"))
    assert [v["number"] for v in versions] == [3, 2, 1]
    assert versions[0]["changed"] == ["final-cause"]
    assert sorted(versions[1]["changed"]) == ["final-cause", "prevention"]
    assert versions[1]["author"] == "rei"
    first = ok(viewer_api.get(doc(api, ref) + "/versions/1"))
    assert section(first, "final-cause")["body"] == ""

    diff = ok(viewer_api.get(doc(api, ref) + "/diff", old=2, new=3))
    changed = {s["key"]: s for s in diff["sections"] if s["changed"]}
    assert list(changed) == ["final-cause"]
    assert "-turned off retries." in changed["final-cause"]["lines"]
    assert "+turned off retry." in changed["final-cause"]["lines"]
    error(viewer_api.get(doc(api, ref) + "/versions/9"), 404)
    error(viewer_api.get(doc(api, ref) + "/diff", old=1, new=9), 404)
    assert viewer_api.get(doc(api, ref) + "/diff", old=0, new=1).status_code == 422


def test_owner_and_due_date(responder_api: Api, admin: User, frozen_clock: MovableClock) -> None:
    ref = resolved_incident(responder_api, frozen_clock)
    start(responder_api, ref)
    changed = ok(
        responder_api.patch(
            doc(responder_api, ref), {"owner": "aki", "due_at": "2026-12-10T10:00:00+09:00"}
        )
    )
    assert changed["owner"] == "aki"
    assert changed["due_at"] == "2026-12-10T01:00:00Z"
    assert changed["version"] == 1  # no text changed
    cleared = ok(responder_api.patch(doc(responder_api, ref), {"owner": None}))
    assert cleared["owner"] is None
    assert AuditEntry.objects.filter(action="retrospective.edit").count() == 2


def test_bad_edits_say_what_is_wrong(responder_api: Api, frozen_clock: MovableClock) -> None:
    api = in_language(responder_api, "en")
    ref = resolved_incident(api, frozen_clock)
    start(api, ref, "postmortem")
    error(api.patch(doc(api, ref), {"sections": {"nope": "x"}}), 400, "nope", "impact")
    error(api.patch(doc(api, ref), {"owner": "nobody"}), 400, "nobody")
    error(api.patch(doc(api, ref), {"due_at": "2026-12-10T10:00:00"}), 400, "time zone")
    error(api.patch(doc(api, ref), {"sections": {"cause": "x" * 100_001}}), 400, "100000")
    assert api.patch(doc(api, ref), {"sections": {"cause": 5}}).status_code == 422
    assert api.patch(doc(api, ref), {"due_at": "soon"}).status_code == 422
    assert ok(api.get(doc(api, ref)))["version"] == 1


def test_drafted_text_stays_marked_until_a_person_edits_it(
    responder: User, responder_api: Api, frozen_clock: MovableClock
) -> None:
    ref = resolved_incident(responder_api, frozen_clock)
    start(responder_api, ref, "incident-review")
    retro = Retrospective.objects.get(incident__number=int(ref.split("-")[1]))
    # What the drafting page does when the writer accepts the model's proposal.
    actions.accept_draft(responder, retro, "root-cause", "Retries were disabled by a flag.")
    drafted = ok(responder_api.get(doc(responder_api, ref)))
    assert section(drafted, "root-cause")["drafted"] is True
    assert drafted["version"] == 2
    assert queries.versions(retro)[0].changed == ["root-cause"]
    # Editing another section leaves the mark; editing this one clears it.
    ok(responder_api.patch(doc(responder_api, ref), {"sections": {"direct-cause": "A flag."}}))
    assert section(ok(responder_api.get(doc(responder_api, ref))), "root-cause")["drafted"]
    edited = ok(
        responder_api.patch(
            doc(responder_api, ref), {"sections": {"root-cause": "Retries were off (flag X)."}}
        )
    )
    assert section(edited, "root-cause")["drafted"] is False


def test_viewers_read_but_do_not_edit_unless_they_own_it(
    responder_api: Api,
    viewer: User,
    viewer_api: Api,
    anonymous_api: Api,
    frozen_clock: MovableClock,
) -> None:
    ref = resolved_incident(responder_api, frozen_clock)
    start(responder_api, ref)
    assert ok(viewer_api.get(doc(viewer_api, ref)))["status"] == "draft"
    error(viewer_api.patch(doc(viewer_api, ref), {"sections": {"service": "x"}}), 403)
    error(viewer_api.post(doc(viewer_api, ref) + "/transitions", {"to": "in_review"}), 403)
    assert anonymous_api.get(doc(anonymous_api, ref)).status_code == 401
    assert anonymous_api.patch(doc(anonymous_api, ref), {"owner": None}).status_code == 401

    ok(responder_api.patch(doc(responder_api, ref), {"owner": viewer.username}))
    mine = ok(viewer_api.patch(doc(viewer_api, ref), {"sections": {"service": "Checkout API"}}))
    assert section(mine, "service")["body"] == "Checkout API"
