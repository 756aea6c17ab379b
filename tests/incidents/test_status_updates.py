"""Status updates: newest first, the next one due in the future, shown on the incident."""

import pytest

from tests.conftest import Api, MovableClock
from tests.incidents.support import assert_error, english, incident_in, look, row_counts


@pytest.fixture
def api(responder_api: Api) -> Api:
    return english(responder_api)


def post_update(
    api: Api, ref: str, text: str, next_update_at: str | None = None
) -> dict[str, object]:
    body = {"text": text} | ({"next_update_at": next_update_at} if next_update_at else {})
    response = api.post(f"/incidents/{ref}/status-updates", body)
    assert response.status_code == 201, response.json()
    update: dict[str, object] = response.json()
    return update


def test_updates_are_listed_newest_first_and_the_latest_is_on_the_incident(
    frozen_clock: MovableClock, api: Api
) -> None:
    ref = incident_in(api, "declared")
    assert api.get(f"/incidents/{ref}").json()["latest_status_update"] is None
    first = post_update(api, ref, "Investigating payment errors", "2026-11-25T10:30:00+09:00")
    frozen_clock.advance(minutes=30)
    api.post(f"/incidents/{ref}/transitions", {"to": "mitigated"})
    second = post_update(api, ref, "Fix deployed; watching", "2026-11-25T02:30:00Z")

    assert first == {
        "id": first["id"],
        "text": "Investigating payment errors",
        "audience": "internal",
        "plain_text": "",
        "status": "declared",
        "next_update_at": "2026-11-25T01:30:00Z",
        "author": "rei",
        "created_at": "2026-11-25T01:00:00Z",
    }
    assert second["status"] == "mitigated"
    assert second["created_at"] == "2026-11-25T01:30:00Z"
    listed = api.get(f"/incidents/{ref}/status-updates").json()
    assert [u["text"] for u in listed] == ["Fix deployed; watching", "Investigating payment errors"]
    assert api.get(f"/incidents/{ref}").json()["latest_status_update"] == second


def test_an_update_without_a_next_time_is_fine(api: Api) -> None:
    ref = incident_in(api, "resolved")
    update = post_update(api, ref, "Resolved; retrospective on Friday")
    assert update["next_update_at"] is None
    assert api.get(f"/incidents/{ref}/timeline").json()[-1]["text"] == (
        "Status update: Resolved; retrospective on Friday"
    )


@pytest.mark.parametrize(
    ("next_update_at", "status"),
    [
        ("2026-11-25T00:59:00Z", 400),  # in the past
        ("2026-11-25T01:00:00Z", 400),  # now is not the future
        ("2026-11-25T02:00:00", 400),  # no time zone
        ("soon", 422),
    ],
)
def test_the_next_update_must_be_due_in_the_future(
    frozen_clock: MovableClock, api: Api, next_update_at: str, status: int
) -> None:
    ref = incident_in(api, "declared")
    before, counts = look(api, ref), row_counts()
    body = {"text": "Still investigating", "next_update_at": next_update_at}
    assert_error(api.post(f"/incidents/{ref}/status-updates", body), status, "invalid")
    assert look(api, ref) == before
    assert api.get(f"/incidents/{ref}/status-updates").json() == []
    assert row_counts() == counts


def test_an_empty_update_is_refused(api: Api) -> None:
    ref = incident_in(api, "declared")
    counts = row_counts()
    response = api.post(f"/incidents/{ref}/status-updates", {"text": " \n "})
    assert_error(response, 400, "invalid", "may not be empty")
    assert row_counts() == counts
