"""The settings pages: responders read the rules and their runs, admins edit them in a plain
form, and the editor previews which past incidents (last 90 days) the rule as typed would
have matched, judged at the time each event happened, without saving anything."""

import re
from datetime import UTC, datetime
from html import unescape
from typing import Any

import pytest
from django.test import Client

from kizuki.accounts.models import User
from kizuki.automation.models import Rule
from tests.automation.support import declared, make_rule, move, report
from tests.conftest import Api, MovableClock
from tests.jobs import run_worker
from tests.schedules.support import set_clock

pytestmark = pytest.mark.django_db

LIST = "/settings/automation/"
NEW = "/settings/automation/new/"


def browser(user: User) -> Client:
    client = Client(headers={"Accept-Language": "en"})
    client.force_login(user)
    return client


def text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def form(**fields: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "name": "Night SEV2",
        "enabled": "on",
        "event": "declared",
        "drill": "any",
        "business_hours": "any",
        "holidays": "any",
        "action_0_kind": "create_followup",
        "action_0_title": "Write down what paged",
    }
    values.update(fields)
    return values


def test_responders_read_viewers_are_refused(
    admin: User, responder: User, viewer: User, admin_api: Api
) -> None:
    rule = make_rule(admin_api, "declared", [{"kind": "require_retrospective"}], name="Retro")
    page = browser(responder).get(LIST)
    assert page.status_code == 200
    shown = text(page.content.decode())
    assert "Retro" in shown
    assert "Declared: open the chat channel, post the guide and the commander's start-up" in shown
    assert "Kizuki already does this" in shown
    assert "New rule" not in shown
    detail = browser(responder).get(f"{LIST}{rule['id']}/")
    assert detail.status_code == 200
    assert 'data-testid="rule-form"' not in detail.content.decode()
    assert browser(responder).get(NEW).status_code == 403
    assert browser(responder).post(f"{LIST}{rule['id']}/", form()).status_code == 403
    assert browser(responder).post(f"{LIST}{rule['id']}/delete/").status_code == 403
    assert browser(viewer).get(LIST).status_code == 403
    assert Rule.objects.filter(pk=rule["id"], name="Retro").exists()


def test_admin_creates_edits_and_deletes_a_rule_in_the_form(admin: User) -> None:
    client = browser(admin)
    created = client.post(NEW, form(severities=["1", "2"], business_hours="out"))
    assert created.status_code == 302
    rule = Rule.objects.get(name="Night SEV2")
    assert (rule.severities, rule.business_hours, rule.enabled) == ([1, 2], "out", True)
    assert rule.actions == [{"kind": "create_followup", "title": "Write down what paged"}]
    edited = client.post(
        f"{LIST}{rule.pk}/", form(name="Renamed", action_1_kind="require_retrospective")
    )
    assert edited.status_code == 302
    rule.refresh_from_db()
    assert rule.name == "Renamed"
    assert [a["kind"] for a in rule.actions] == ["create_followup", "require_retrospective"]
    assert client.post(f"{LIST}{rule.pk}/delete/").status_code == 302
    assert not Rule.objects.filter(pk=rule.pk).exists()


def test_the_form_shows_what_is_wrong_and_saves_nothing(admin: User) -> None:
    before = Rule.objects.count()
    page = browser(admin).post(
        NEW, form(action_0_kind="webhook", action_0_url="http://127.0.0.1/x")
    )
    assert page.status_code == 200
    assert "not a public address" in text(page.content.decode())
    page = browser(admin).post(NEW, form(action_0_title=""))
    assert "The action create_followup needs title." in text(page.content.decode())
    assert Rule.objects.count() == before


def test_the_preview_lists_past_matches_without_saving(
    admin: User, responder_api: Api, frozen_clock: MovableClock
) -> None:
    # 2 September, 21:00 in Tokyo (84 days before the preview): out of hours, SEV2.
    set_clock(frozen_clock, datetime(2026, 9, 2, 12, 0, tzinfo=UTC))
    night = declared(responder_api, severity=2, title="Night outage")
    # 1 October, 10:00 in Tokyo: business hours.
    set_clock(frozen_clock, datetime(2026, 10, 1, 1, 0, tzinfo=UTC))
    morning = declared(responder_api, severity=2, title="Morning outage")
    minor = declared(responder_api, severity=3, title="Minor slowness")
    # 1 October, 22:00 in Tokyo: out of hours, a SEV1 drill.
    set_clock(frozen_clock, datetime(2026, 10, 1, 13, 0, tzinfo=UTC))
    late_drill = declared(responder_api, severity=1, title="Late drill", is_drill=True)
    move(responder_api, late_drill, "mitigated")
    set_clock(frozen_clock, datetime(2026, 11, 25, 1, 0, tzinfo=UTC))
    before = Rule.objects.count()
    fields = form(severities=["1", "2"], business_hours="out", preview="1")
    page = browser(admin).post(NEW, fields)
    shown = text(page.content.decode())
    assert page.status_code == 200
    assert Rule.objects.count() == before
    found = re.findall(
        r'data-testid="preview-match">\s*<a href="/incidents/(INC-\d+)/"', page.content.decode()
    )
    assert found == [late_drill, night]  # not the business-hours or SEV3 ones
    assert {morning, minor}.isdisjoint(found)
    assert "severity SEV1, outside business hours" in shown
    # htmx asks for the preview alone.
    partial = browser(admin).post(NEW, {**fields, "drill": "no"}, headers={"HX-Request": "true"})
    html = partial.content.decode()
    assert html.lstrip().startswith('<section class="card rule-preview" id="rule-preview"')
    assert re.findall(r"/incidents/(INC-\d+)/", html) == [night]


def test_the_preview_looks_back_90_days_only(
    admin: User, responder_api: Api, frozen_clock: MovableClock
) -> None:
    set_clock(frozen_clock, datetime(2026, 8, 1, 12, 0, tzinfo=UTC))  # 116 days before
    report(responder_api, "Long ago")
    run_worker()
    set_clock(frozen_clock, datetime(2026, 11, 25, 1, 0, tzinfo=UTC))
    page = browser(admin).post(NEW, form(event="reported", preview="1"))
    assert "It would not have matched anything." in text(page.content.decode())


def test_enabling_a_default_rule_in_the_form_keeps_its_name(admin: User) -> None:
    rule = Rule.objects.get(key="retrospective-on-resolve")
    client = Client(headers={"Accept-Language": "ja"})
    client.force_login(admin)
    fields = {
        "name": "SEV1, SEV2 or SEV3 resolved: require the retrospective",
        "enabled": "on",
        "event": "resolved",
        "severities": ["1", "2", "3"],
        "drill": "any",
        "business_hours": "any",
        "holidays": "any",
        "action_0_kind": "require_retrospective",
    }
    page = client.get(f"{LIST}{rule.pk}/")
    shown = re.search(r'name="name" value="([^"]*)"', page.content.decode())
    assert shown is not None
    fields["name"] = unescape(shown.group(1))  # in the reader's language
    assert client.post(f"{LIST}{rule.pk}/", fields).status_code == 302
    rule.refresh_from_db()
    assert rule.enabled
    assert rule.name == "SEV1, SEV2 or SEV3 resolved: require the retrospective"
