"""The timeline: automatic entries for every change, backdated notes, audited edits."""

from collections.abc import Callable
from typing import Any

import pytest

from kizuki.accounts.models import User
from kizuki.core.models import AuditEntry
from tests.conftest import Api, MovableClock
from tests.incidents.support import (
    assert_error,
    english,
    events,
    incident_in,
    look,
    move,
    row_counts,
)


@pytest.fixture
def api(responder_api: Api) -> Api:
    return english(responder_api)


def timeline(api: Api, ref: str) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = api.get(f"/incidents/{ref}/timeline").json()
    return entries


def add_note(api: Api, ref: str, text: str, occurred_at: str | None = None) -> dict[str, Any]:
    body = {"text": text} | ({"occurred_at": occurred_at} if occurred_at else {})
    response = api.post(f"/incidents/{ref}/timeline", body)
    assert response.status_code == 201, response.json()
    entry: dict[str, Any] = response.json()
    return entry


def test_every_change_writes_an_automatic_entry(
    frozen_clock: MovableClock, api: Api, service: object
) -> None:
    ref = incident_in(api, "reported")
    steps: list[Callable[[], Any]] = [
        lambda: move(api, ref, "acknowledged"),
        lambda: move(api, ref, "declared", severity=3),
        lambda: api.patch(f"/incidents/{ref}", {"severity": 2}),
        lambda: api.patch(
            f"/incidents/{ref}", {"title": "Checkout 500s", "services": ["checkout"]}
        ),
        lambda: api.post(f"/incidents/{ref}/roles", {"role": "incident_commander", "user": "rei"}),
        lambda: api.delete(f"/incidents/{ref}/roles/incident_commander/rei"),
        lambda: api.post(f"/incidents/{ref}/status-updates", {"text": "Rolling back"}),
        lambda: move(api, ref, "resolved"),
    ]
    for step in steps:
        frozen_clock.advance(minutes=1)
        assert step().status_code < 300

    entries = timeline(api, ref)
    assert [(e["kind"], e["text"], e["author"]) for e in entries] == [
        ("change", "Incident reported.", "rei"),
        ("change", "Status changed to Acknowledged.", "rei"),
        ("change", "Declared as SEV3.", "rei"),
        ("change", "Severity changed from SEV3 to SEV2.", "rei"),
        ("change", "Details edited: title, affected services.", "rei"),
        ("change", "rei assigned as Incident Commander.", "rei"),
        ("change", "rei released from Incident Commander.", "rei"),
        ("change", "Status update: Rolling back", "rei"),
        ("change", "Status changed to Resolved.", "rei"),
    ]
    assert [e["occurred_at"] for e in entries] == [
        f"2026-11-25T01:0{minute}:00Z" for minute in range(9)
    ]


def test_backdated_notes_sort_by_when_they_happened(frozen_clock: MovableClock, api: Api) -> None:
    ref = incident_in(api, "declared")  # reported and declared at 01:00
    frozen_clock.advance(minutes=30)
    late = add_note(api, ref, "First alert fired", occurred_at="2026-11-25T09:40:00+09:00")
    add_note(api, ref, "Customer called support", occurred_at="2026-11-25T00:55:00Z")
    add_note(api, ref, "Rollback started")

    assert late["occurred_at"] == "2026-11-25T00:40:00Z"
    assert late["created_at"] == "2026-11-25T01:30:00Z"
    assert [(e["occurred_at"], e["text"]) for e in timeline(api, ref)] == [
        ("2026-11-25T00:40:00Z", "First alert fired"),
        ("2026-11-25T00:55:00Z", "Customer called support"),
        ("2026-11-25T01:00:00Z", "Incident reported."),
        ("2026-11-25T01:00:00Z", "Declared as SEV3."),
        ("2026-11-25T01:30:00Z", "Rollback started"),
    ]


def test_editing_a_note_keeps_the_old_text_in_the_audit_log(
    frozen_clock: MovableClock, api: Api, responder: User
) -> None:
    ref = incident_in(api, "declared")
    note = add_note(api, ref, "DB CPU at 100%", occurred_at="2026-11-25T00:50:00Z")
    frozen_clock.advance(minutes=5)

    response = api.patch(
        f"/incidents/{ref}/timeline/{note['id']}",
        {"text": "DB CPU at 100% on the primary", "occurred_at": "2026-11-25T01:02:00Z"},
    )

    assert response.status_code == 200, response.json()
    assert response.json()["edited"] is True
    entries = timeline(api, ref)
    assert entries[-1]["id"] == note["id"]  # moved after the automatic 01:00 entries
    assert entries[-1]["text"] == "DB CPU at 100% on the primary"
    audit = AuditEntry.objects.get(action="timeline.edit", object_id=str(note["id"]))
    assert audit.actor == responder
    assert audit.before is not None
    assert audit.after is not None
    assert audit.before["text"] == "DB CPU at 100%"
    assert audit.after["text"] == "DB CPU at 100% on the primary"
    assert audit.before["occurred_at"].startswith("2026-11-25T00:50:00")
    assert audit.after["occurred_at"].startswith("2026-11-25T01:02:00")


def test_removing_a_note_hides_it_but_the_audit_log_keeps_it(api: Api, responder: User) -> None:
    ref = incident_in(api, "declared")
    note = add_note(api, ref, "Suspect the CDN")

    assert api.delete(f"/incidents/{ref}/timeline/{note['id']}").status_code == 204

    assert "Suspect the CDN" not in [e["text"] for e in timeline(api, ref)]
    audit = AuditEntry.objects.get(action="timeline.remove", object_id=str(note["id"]))
    assert audit.before is not None
    assert (audit.actor, audit.before["text"]) == (responder, "Suspect the CDN")
    counts = row_counts()
    gone = api.patch(f"/incidents/{ref}/timeline/{note['id']}", {"text": "Back"})
    assert_error(gone, 409, "conflict", "still present")
    assert_error(api.delete(f"/incidents/{ref}/timeline/{note['id']}"), 409, "conflict")
    assert row_counts() == counts


def test_automatic_entries_cannot_be_edited_or_removed(api: Api) -> None:
    ref = incident_in(api, "declared")
    automatic = timeline(api, ref)[0]
    assert automatic["kind"] == "change"
    before, counts = look(api, ref), row_counts()

    edited = api.patch(f"/incidents/{ref}/timeline/{automatic['id']}", {"text": "Nothing happened"})
    removed = api.delete(f"/incidents/{ref}/timeline/{automatic['id']}")

    assert_error(edited, 409, "conflict", "Only notes")
    assert_error(removed, 409, "conflict", "Only notes")
    assert look(api, ref) == before
    assert row_counts() == counts


def test_an_entry_is_only_reachable_through_its_own_incident(api: Api) -> None:
    first = incident_in(api, "declared")
    second = incident_in(api, "declared")
    note = add_note(api, first, "Belongs to the first")
    counts = row_counts()

    response = api.patch(f"/incidents/{second}/timeline/{note['id']}", {"text": "Hijacked"})

    assert_error(response, 404, "not_found", f"No timeline entry {note['id']} on {second}")
    assert_error(api.delete(f"/incidents/{second}/timeline/{note['id']}"), 404, "not_found")
    assert timeline(api, first)[-1]["text"] == "Belongs to the first"
    assert row_counts() == counts


def test_a_note_cannot_be_moved_into_the_future(frozen_clock: MovableClock, api: Api) -> None:
    ref = incident_in(api, "declared")
    note = add_note(api, ref, "Paged the DBA")
    before = look(api, ref)
    body = {"text": "Paged the DBA", "occurred_at": "2026-11-25T02:00:00Z"}
    assert_error(api.patch(f"/incidents/{ref}/timeline/{note['id']}", body), 400, "invalid")
    assert look(api, ref) == before


def test_notes_do_not_show_up_as_automatic_events(api: Api) -> None:
    ref = incident_in(api, "declared")
    add_note(api, ref, "Checked the dashboards")
    assert events(api, ref) == ["reported", "transition", ""]
    assert timeline(api, ref)[-1]["kind"] == "note"
