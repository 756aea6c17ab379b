"""Declaring at a severity that pages all key people pages the admin's list (people, teams,
an escalation policy), optionally only outside business hours (weekends and Japanese
holidays count as outside); assigning a role tells the person by their notification rules."""

from datetime import UTC, datetime

import pytest
from django.core import mail

from kizuki.accounts import actions as accounts
from kizuki.accounts.models import User
from kizuki.oncall.models import Page
from tests.conftest import Api, MovableClock, make_user
from tests.incidents.support import english
from tests.jobs import run_worker
from tests.notify.support import add_rule, create_policy, step, webhook_server

pytestmark = pytest.mark.django_db


def paged_people() -> list[str]:
    names = (
        Page.objects.filter(status="sent").order_by("id").values_list("user__username", flat=True)
    )
    return sorted(set(names))


@pytest.fixture
def key_people(admin_api: Api) -> None:
    """Key people: kei by name, the leads team (mei, ren), and a policy paging sora."""
    for name in ("kei", "mei", "ren", "sora", "nobu"):
        make_user(name, "responder")
    leads = accounts.create_team("leads", "Leads")
    for name in ("mei", "ren"):
        accounts.add_member(leads, User.objects.get(username=name))
    policy = create_policy(admin_api, "Executives", [step(("user", "sora"))])
    changed = admin_api.patch(
        "/paging-settings",
        {"key_people": ["kei"], "key_teams": ["leads"], "key_policy": policy["id"]},
    )
    assert changed.status_code == 200, changed.json()
    assert changed.json()["key_people"] == ["kei"]


def declare(api: Api, severity: int) -> str:
    response = api.post("/incidents", {"title": "Payments fail", "severity": severity})
    assert response.status_code == 201, response.json()
    return str(response.json()["number"])


def test_declaring_sev1_pages_every_key_person(
    responder_api: Api, key_people: None, frozen_clock: MovableClock
) -> None:
    declare(responder_api, 1)
    run_worker()
    assert paged_people() == ["kei", "mei", "ren", "sora"]
    assert sorted(m.to[0] for m in mail.outbox) == [
        "kei@example.test",
        "mei@example.test",
        "ren@example.test",
        "sora@example.test",
    ]
    assert "Payments fail" in mail.outbox[0].subject


def test_a_severity_that_does_not_page_key_people_pages_nobody_of_them(
    responder_api: Api, key_people: None, frozen_clock: MovableClock
) -> None:
    declare(responder_api, 3)
    run_worker()
    assert paged_people() == []


def test_out_of_hours_only_skips_business_hours_but_not_nights_or_holidays(
    responder_api: Api, admin_api: Api, key_people: None, frozen_clock: MovableClock
) -> None:
    bad = english(admin_api).patch(
        "/paging-settings", {"business_day_start": "18:00", "business_day_end": "09:00"}
    )
    assert bad.status_code == 400
    assert "end after" in bad.json()["detail"]
    zoned = english(admin_api).patch("/paging-settings", {"business_day_start": "00:00:00Z"})
    assert zoned.status_code == 400
    assert "without a zone" in zoned.json()["detail"]
    assert (
        admin_api.patch("/paging-settings", {"key_people_out_of_hours_only": True}).status_code
        == 200
    )
    # Wednesday 25 November 2026, 10:00 in Tokyo: business hours.
    declare(responder_api, 1)
    run_worker()
    assert paged_people() == []
    # 21:00 in Tokyo the same day: outside.
    frozen_clock.advance(hours=11)
    declare(responder_api, 2)
    run_worker()
    assert paged_people() == ["kei", "mei", "ren", "sora"]


def test_a_japanese_holiday_is_outside_business_hours(
    responder_api: Api, admin_api: Api, key_people: None, frozen_clock: MovableClock
) -> None:
    admin_api.patch("/paging-settings", {"key_people_out_of_hours_only": True})
    # Monday 23 November 2026, 10:00 in Tokyo: Labour Thanksgiving Day.
    frozen_clock.now = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
    frozen_clock.advance(seconds=0)
    declare(responder_api, 1)
    run_worker()
    assert paged_people() == ["kei", "mei", "ren", "sora"]


def test_assigning_a_role_tells_the_person_by_their_rules_not_a_page(
    responder_api: Api, admin_api: Api, loopback_allowed: None, frozen_clock: MovableClock
) -> None:
    nao = make_user("nao", "responder")
    nao.language = "en"
    nao.save()
    ref = declare(responder_api, 3)
    with webhook_server() as (port, received):
        add_rule(admin_api, nao, "apprise", f"json://127.0.0.1:{port}/hook")
        assigned = responder_api.post(
            f"/incidents/{ref}/roles", {"role": "incident_commander", "user": "nao"}
        )
        assert assigned.status_code == 201, assigned.json()
        assert received.requests == []  # not before the assignment commits and the worker runs
        run_worker()
        assert len(received.requests) == 1
        told = received.requests[0]["json"]
        assert ref in told["title"]
        assert told["title"] == f"You are now Incident Commander of {ref}"
    assert not Page.objects.exists()  # told, not paged


def test_assigning_a_role_without_rules_sends_an_e_mail_and_not_to_oneself(
    responder: User, responder_api: Api, frozen_clock: MovableClock
) -> None:
    make_user("nao", "responder")
    ref = declare(responder_api, 3)
    responder_api.post(f"/incidents/{ref}/roles", {"role": "scribe", "user": "nao"})
    responder_api.post(
        f"/incidents/{ref}/roles", {"role": "incident_commander", "user": responder.username}
    )
    run_worker()
    assert [m.to for m in mail.outbox] == [["nao@example.test"]]
    assert ref in mail.outbox[0].subject
    assert f"/incidents/{ref}/" in mail.outbox[0].body
