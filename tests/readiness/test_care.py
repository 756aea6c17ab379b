"""Looking after responders: a long incident reminds the people holding its roles to take a
break and a meal (on the timeline and through their notification method), once per interval;
it proposes a hand-off of the commander role; the commander writes today's must-dos and moves
the rest to follow-ups."""

from typing import Any

import pytest
from django.core import mail
from django.utils import translation
from django.utils.translation import gettext

from kizuki.accounts.models import User
from tests.areas.support import set_chain
from tests.conftest import Api, MovableClock, api_for
from tests.incidents.support import assert_error, english
from tests.jobs import run_worker
from tests.readiness.support import (
    command,
    declare,
    events,
    person,
    schedule,
    team_with,
    timeline,
)

pytestmark = pytest.mark.django_db


def reminders_sent(api: Api, ref: str) -> list[dict[str, Any]]:
    return [entry for entry in timeline(api, ref) if entry["event"] == "break_reminder"]


def break_mails() -> list[Any]:
    """The break reminders mailed, in each person's language (the organisation's if unset)."""
    subjects = set()
    for language in ("en", "ja"):
        with translation.override(language):
            subjects.add(gettext("%(ref)s: time for a break") % {"ref": ""})
    return [m for m in mail.outbox if any(m.subject.endswith(s) for s in subjects)]


def care(api: Api, ref: str) -> dict[str, Any]:
    response = api.get(f"/incidents/{ref}/care")
    assert response.status_code == 200, response.json()
    body: dict[str, Any] = response.json()
    return body


@pytest.fixture
def long_incident(responder_api: Api, frozen_clock: MovableClock) -> str:
    """A SEV3 declared now; rei commands it and ken investigates."""
    person("ken")
    ref = declare(responder_api)
    command(responder_api, ref, "rei")
    response = responder_api.post(
        f"/incidents/{ref}/roles", {"role": "investigator", "user": "ken"}
    )
    assert response.status_code == 201, response.json()
    return ref


def test_responders_are_reminded_after_three_hours_and_not_again_before_the_interval(
    responder_api: Api, long_incident: str, frozen_clock: MovableClock
) -> None:
    ref = long_incident
    frozen_clock.advance(hours=2, minutes=59)
    run_worker()
    assert reminders_sent(responder_api, ref) == []
    assert break_mails() == []

    frozen_clock.advance(minutes=1)  # three hours after the declaration
    run_worker()
    [reminder] = reminders_sent(responder_api, ref)
    assert reminder["text"].startswith("Running for 3 h 00 min: rei, ken reminded to take a break")
    assert sorted(message.to[0] for message in break_mails()) == [
        "ken@example.test",
        "rei@example.test",
    ]
    assert all(message.subject.startswith(ref) for message in break_mails())

    # Not again within the interval, however often the worker runs.
    frozen_clock.advance(hours=2, minutes=59)
    run_worker()
    run_worker()
    assert len(reminders_sent(responder_api, ref)) == 1
    assert len(break_mails()) == 2

    frozen_clock.advance(minutes=1)  # six hours: the second reminder
    run_worker()
    assert len(reminders_sent(responder_api, ref)) == 2
    body = care(responder_api, ref)
    assert [r["number"] for r in body["reminders"]] == [1, 2]
    assert body["next_reminder_at"].startswith("2026-11-25T10:00")  # declared 01:00, +9 h


def test_a_severity_can_remind_sooner_and_a_closed_incident_never(
    admin_api: Api, responder_api: Api, frozen_clock: MovableClock
) -> None:
    response = admin_api.post(
        "/care-settings", {"severity": 1, "after_minutes": 60, "every_minutes": 90}
    )
    assert response.status_code == 200, response.json()
    big = declare(responder_api, severity=1)
    small = declare(responder_api, severity=3)
    command(responder_api, big, "rei")
    command(responder_api, small, "rei")
    frozen_clock.advance(minutes=60)
    run_worker()
    assert len(reminders_sent(responder_api, big)) == 1
    assert reminders_sent(responder_api, small) == []
    assert care(responder_api, big)["after_minutes"] == 60

    settings = admin_api.get("/care-settings").json()
    assert settings == [{"severity": 1, "enabled": True, "after_minutes": 60, "every_minutes": 90}]
    assert_error(
        responder_api.post("/care-settings", {"severity": 1, "after_minutes": 5}), 403, "forbidden"
    )
    assert_error(
        english(admin_api).post("/care-settings", {"severity": 9, "after_minutes": 5}),
        400,
        "invalid",
        "severity 9",
    )


def test_the_hand_off_goes_to_the_next_on_call_and_is_one_click(
    admin_api: Api, responder_api: Api, responder: User, frozen_clock: MovableClock
) -> None:
    ken = person("ken")
    team_with("payments", ken, responder)
    schedule(admin_api, "payments", ["ken"])
    ref = declare(responder_api, team="payments")
    command(responder_api, ref, "rei")
    assert care(responder_api, ref)["handoff"] is None  # not long yet

    frozen_clock.advance(hours=3)
    run_worker()
    assert care(responder_api, ref)["handoff"] == {"user": "ken", "source": "on_call"}
    [reminder] = reminders_sent(responder_api, ref)
    assert "Proposed hand-off of the commander role: ken (on call)." in reminder["text"]

    response = responder_api.post(f"/incidents/{ref}/handoff", {"user": "ken"})
    assert response.status_code == 200, response.json()
    roles = responder_api.get(f"/incidents/{ref}/roles").json()
    assert [(r["role"], r["user"]) for r in roles if r["role"] == "incident_commander"] == [
        ("incident_commander", "ken")
    ]
    assert events(responder_api, ref)[-1] == "role_assigned"
    # rei no longer commands: the next hand-off is ken's to make.
    assert_error(responder_api.post(f"/incidents/{ref}/handoff", {"user": "rei"}), 403, "forbidden")


def test_without_anyone_on_call_the_system_areas_deputy_is_proposed(
    admin_api: Api, responder_api: Api, frozen_clock: MovableClock
) -> None:
    person("oto")
    person("mei")
    set_chain(admin_api, "system", "rei", ["oto", "mei"])  # rei owns System and commands
    ref = declare(responder_api)
    command(responder_api, ref, "rei")
    frozen_clock.advance(hours=3)
    assert care(responder_api, ref)["handoff"] == {"user": "oto", "source": "area"}


def test_todays_must_dos_stay_and_the_rest_moves_to_follow_ups(
    responder_api: Api, long_incident: str, frozen_clock: MovableClock
) -> None:
    ref = long_incident
    path = f"/incidents/{ref}/work-items"
    today = responder_api.post(path, {"text": "Restart the payment workers"}).json()
    later = responder_api.post(path, {"text": "Add an alert on queue depth", "today": False})
    assert later.status_code == 201, later.json()
    other = responder_api.post(path, {"text": "Write the runbook", "today": False}).json()
    response = responder_api.patch(f"{path}/{today['id']}", {"done": True})
    assert response.json()["done"] is True

    moved = responder_api.post(f"{path}/move-to-followups", {"due_date": "2026-12-04"})
    assert moved.status_code == 200, moved.json()
    assert len(moved.json()["followups"]) == 2
    followups = responder_api.get(f"/incidents/{ref}/followups").json()
    assert sorted((f["title"], f["due_date"]) for f in followups) == [
        ("Add an alert on queue depth", "2026-12-04"),
        ("Write the runbook", "2026-12-04"),
    ]
    items = {item["id"]: item for item in responder_api.get(path).json()}
    assert items[today["id"]]["followup"] is None
    assert items[other["id"]]["followup"] in moved.json()["followups"]
    texts = [entry["text"] for entry in timeline(responder_api, ref)]
    assert "Must be done today: Restart the payment workers" in texts
    assert "Done: Restart the payment workers" in texts
    assert (
        "Moved to follow-ups, due 2026-12-04: Add an alert on queue depth; Write the runbook"
        in texts
    )
    # Moving again moves nothing more.
    again = responder_api.post(f"{path}/move-to-followups", {})
    assert again.json() == {"followups": []}


def test_only_the_commander_keeps_the_work_list(
    responder_api: Api, viewer_api: Api, long_incident: str
) -> None:
    ref = long_incident
    path = f"/incidents/{ref}/work-items"
    ken = api_for(User.objects.get(username="ken"))
    assert_error(ken.post(path, {"text": "Mine"}), 403, "forbidden")
    assert_error(viewer_api.post(path, {"text": "Mine"}), 403, "forbidden")
    assert viewer_api.get(path).status_code == 200
    assert_error(english(responder_api).post(path, {"text": "  "}), 400, "invalid")
    assert_error(
        responder_api.post(f"{path}/move-to-followups", {"due_date": "2020-01-01"}), 400, "invalid"
    )
    assert_error(responder_api.patch(f"{path}/999", {"done": True}), 404, "not_found")


def test_a_drill_reminds_about_a_break_too_and_counts_as_the_teams_last_drill(
    admin_api: Api, responder_api: Api, responder: User, frozen_clock: MovableClock
) -> None:
    team_with("payments", responder)
    scenario = admin_api.post(
        "/drill-scenarios", {"title": "Payments down", "severity": 2, "team": "payments"}
    )
    assert scenario.status_code == 201, scenario.json()
    drill = responder_api.post("/drills", {"scenario": scenario.json()["id"]})
    assert drill.status_code == 201, drill.json()
    ref = drill.json()["number"]
    command(responder_api, ref, "rei")

    body = admin_api.get("/readiness", team="payments").json()
    assert body["last_drill"]["incident"] == ref
    assert body["last_drill"]["title"] == "Payments down"
    assert "no_recent_drill" not in [gap["code"] for gap in body["gaps"]]

    frozen_clock.advance(hours=3)
    run_worker()
    [reminder] = reminders_sent(responder_api, ref)
    assert "rei reminded to take a break" in reminder["text"]
