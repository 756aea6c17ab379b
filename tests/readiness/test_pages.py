"""The readiness page's forms (admins write read-throughs and break-reminder settings, everyone
marks read) and the looking-after-responders panel's forms on the incident page (the commander
adds today's must-dos and moves the rest to follow-ups)."""

import re
from html import unescape

import pytest
from django.test import Client

from kizuki.accounts.models import User
from tests.conftest import Api, MovableClock
from tests.readiness.support import command, declare, timeline

pytestmark = pytest.mark.django_db


def browser(user: User) -> Client:
    client = Client(headers={"Accept-Language": "en"})
    client.force_login(user)
    return client


def text(html: bytes) -> str:
    words = " ".join(unescape(re.sub(r"<[^>]+>", " ", html.decode())).split())
    return words.replace(" ,", ",")


READ_THROUGH = {
    "period": "summer",
    "name": "",
    "starts_on": "2027-08-10",
    "ends_on": "2027-08-16",
    "team": "",
    "items": "How to page\nWhere the bridge calls are",
}


def test_admins_write_a_read_through_and_everyone_marks_it_read(
    admin: User, viewer: User, frozen_clock: MovableClock
) -> None:
    assert browser(viewer).post("/readiness/read-throughs/new/", READ_THROUGH).status_code == 403
    bad = browser(admin).post("/readiness/read-throughs/new/", {**READ_THROUGH, "ends_on": ""})
    assert bad.status_code == 400
    wrong = browser(admin).post(
        "/readiness/read-throughs/new/", {**READ_THROUGH, "ends_on": "2027-08-01"}
    )
    assert wrong.status_code == 400
    assert "The period must end on or after the day it starts." in text(wrong.content)
    done = browser(admin).post("/readiness/read-throughs/new/", READ_THROUGH)
    assert done.status_code == 302

    page = text(browser(viewer).get("/readiness/").content)
    assert "Summer holidays" in page
    assert "Not yet read: aki, vera" in page
    item_id = re.search(
        r"read-throughs/(\d+)/read/", browser(viewer).get("/readiness/").content.decode()
    )
    assert item_id is not None
    marked = browser(viewer).post(f"/readiness/read-throughs/{item_id.group(1)}/read/")
    assert marked.status_code == 302
    page = text(browser(viewer).get("/readiness/").content)
    assert "You have read it." in page


def test_admins_set_break_reminders_on_the_readiness_page(admin: User, responder: User) -> None:
    form = {"severity": "", "enabled": "on", "after_minutes": "120", "every_minutes": "60"}
    assert browser(responder).post("/readiness/care/", form).status_code == 403
    assert (
        browser(admin).post("/readiness/care/", {**form, "after_minutes": "0"}).status_code == 400
    )
    assert browser(admin).post("/readiness/care/", form).status_code == 302
    page = text(browser(responder).get("/readiness/").content)
    assert "Every other severity: after 120 min, then every 60 min" in page


def test_the_commander_keeps_todays_list_on_the_incident_page(
    responder: User, responder_api: Api, frozen_clock: MovableClock
) -> None:
    ref = declare(responder_api)
    command(responder_api, ref, "rei")
    client = browser(responder)
    client.post(f"/incidents/{ref}/work/", {"text": "Restart the workers", "today": "on"})
    client.post(f"/incidents/{ref}/work/", {"text": "Add a queue alert"})
    page = text(client.get(f"/incidents/{ref}/").content)
    today = page.split("Must be done today", 1)[1].split("Can wait", 1)
    assert "Restart the workers" in today[0]
    assert today[1].lstrip().startswith("Add a queue alert")
    moved = client.post(f"/incidents/{ref}/work/move/", {"due_date": "2026-12-10"})
    assert moved.status_code == 302
    followups = responder_api.get(f"/incidents/{ref}/followups").json()
    assert [(f["title"], f["due_date"]) for f in followups] == [("Add a queue alert", "2026-12-10")]
    assert "Moved to follow-ups, due 2026-12-10: Add a queue alert" in [
        entry["text"] for entry in timeline(responder_api, ref)
    ]
