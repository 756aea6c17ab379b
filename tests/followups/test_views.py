"""The follow-up pages through Django's test client, as a browser uses them: the incident's
panel and its short form, the new-follow-up page linked to a retrospective section, the
follow-up's page (edit, status, milestones, export), the live check, the lists."""

import re
from typing import Any

import pytest
from django.test import Client

from kizuki.accounts import actions as accounts
from kizuki.accounts.models import User
from tests.conftest import Api, MovableClock
from tests.followups.support import (
    english,
    ok,
    publish_retrospective,
    resolved_incident,
    row_counts,
    write,
)

pytestmark = pytest.mark.usefixtures("frozen_clock")


def browser(user: User, language: str = "en") -> Client:
    client = Client(headers={"Accept-Language": language})
    client.force_login(user)
    return client


@pytest.fixture
def ref(responder_api: Api, service: Any) -> str:
    return resolved_incident(english(responder_api), severity=2, services=["checkout"])


def test_the_incident_page_lists_follow_ups_and_adds_one(responder: User, ref: str) -> None:
    web = browser(responder)
    page = web.get(f"/incidents/{ref}/").content.decode()
    assert 'data-testid="followups-panel"' in page
    assert "No follow-ups yet" in page
    response = web.post(
        f"/incidents/{ref}/followups/new/",
        {"quick": "1", "title": "Be more careful when deploying", "owner": "rei"},
        follow=True,
    )
    final = response.redirect_chain[-1][0]
    assert re.fullmatch(r"/followups/\d+/", final)
    page = response.content.decode()
    assert "Follow-up saved." in page
    assert 'data-code="vague_vigilance"' in page
    assert "2026-12-25" in page
    panel = web.get(f"/incidents/{ref}/").content.decode()
    assert "Be more careful when deploying" in panel
    assert "1 finding" in panel


def test_an_empty_quick_title_comes_back_with_the_error(responder: User, ref: str) -> None:
    before = row_counts()
    response = browser(responder).post(
        f"/incidents/{ref}/followups/new/", {"quick": "1", "title": ""}, follow=True
    )
    assert response.redirect_chain[-1][0] == f"/incidents/{ref}/#followups"
    assert "This field is required." in response.content.decode()
    assert row_counts() == before


def test_the_new_page_links_a_retrospective_section(
    responder: User, responder_api: Api, ref: str
) -> None:
    publish_retrospective(english(responder_api), ref)
    web = browser(responder)
    document = web.get(f"/incidents/{ref}/retrospective/").content.decode()
    link = f'href="/incidents/{ref}/followups/new/?section=permanent-fix"'
    assert link in document  # "Add follow-up" under the section
    page = web.get(f"/incidents/{ref}/followups/new/?section=permanent-fix").content.decode()
    assert "From the retrospective:" in page
    assert 'value="2026-12-25"' in page  # the SEV2 policy's date
    assert 'hx-trigger="keyup changed delay:500ms, input changed delay:500ms"' in page
    response = web.post(
        f"/incidents/{ref}/followups/new/?section=permanent-fix",
        {
            "title": "Add a CI check that rejects migrations without EXPLAIN output",
            "owner": "rei",
            "team": "payments",
            "due_date": "2026-12-25",
            "kind": "prevent",
            "category": "bug_fix",
            "phase": "development",
            "section": "permanent-fix",
            "incident": ref,
        },
        follow=True,
    )
    path = response.redirect_chain[-1][0]
    followup = ok(english(responder_api).get(path.rstrip("/")))
    assert (followup["section"], followup["kind"], followup["quality"]) == (
        "permanent-fix",
        "prevent",
        [],
    )
    assert "No problems found" in response.content.decode()


def test_the_live_check_answers_with_a_partial(viewer: User, ref: str) -> None:
    web = browser(viewer)
    answer = web.post("/followups/check/", {"title": "今後は注意して作業する", "incident": ref})
    assert answer.status_code == 200
    html = answer.content.decode()
    assert "<html" not in html
    assert 'data-code="vague_vigilance"' in html
    fine = web.post(
        "/followups/check/",
        {"title": "Add a CI check", "owner": "", "due_date": "2027-09-01", "incident": ref},
    ).content.decode()
    assert 'data-code="no_owner"' in fine
    assert 'data-code="due_past_policy"' in fine
    clean = web.post("/followups/check/", {"title": "Add a CI check"}).content.decode()
    assert "No problems found" in clean


def test_editing_moves_the_due_date_only_with_a_reason(
    responder: User, responder_api: Api, ref: str
) -> None:
    path = write(english(responder_api), ref, "Add an alert on queue depth", owner="rei")["url"]
    web = browser(responder)
    form = {
        "title": "Add an alert on queue depth",
        "owner": "rei",
        "team": "payments",
        "incident": ref,
    }
    page = web.post(f"{path}edit/", {**form, "due_date": "2027-01-15"}, follow=True)
    assert "Say why the due date changes" in page.content.decode()
    assert ok(english(responder_api).get(path.rstrip("/")))["due_date"] == "2026-12-25"
    page = web.post(
        f"{path}edit/",
        {**form, "due_date": "2027-01-15", "due_date_reason": "After the freeze"},
        follow=True,
    )
    html = page.content.decode()
    assert "Saved." in html
    assert "Reason: After the freeze" in html
    assert "Due date moved from 2026-12-25 to 2027-01-15." in html


def test_status_and_milestones_from_the_page(responder: User, responder_api: Api, ref: str) -> None:
    path = write(english(responder_api), ref, "Move reports to a replica", owner="rei")["url"]
    web = browser(responder)
    web.post(f"{path}milestones/", {"title": "Replica in place", "due_date": "2026-12-10"})
    web.post(f"{path}milestones/", {"title": "Reports switched"})
    web.post(f"{path}milestones/0/", {"status": "done"})
    followup = ok(english(responder_api).get(path.rstrip("/")))
    assert [(m["title"], m["status"]) for m in followup["milestones"]] == [
        ("Replica in place", "done"),
        ("Reports switched", "open"),
    ]
    page = web.post(f"{path}status/", {"status": "wont_do"}, follow=True).content.decode()
    assert "Say why it will not be done" in page
    web.post(f"{path}status/", {"status": "wont_do", "status_reason": "Reports retired"})
    assert ok(english(responder_api).get(path.rstrip("/")))["status"] == "wont_do"


def test_viewers_see_no_forms_and_their_posts_are_refused(
    viewer: User, responder_api: Api, ref: str
) -> None:
    path = write(english(responder_api), ref, "Add an alert on queue depth", owner="rei")["url"]
    web = browser(viewer)
    page = web.get(path).content.decode()
    assert "Add an alert on queue depth" in page
    assert f'action="{path}edit/"' not in page
    assert f'action="{path}status/"' not in page
    assert 'name="quick"' not in web.get(f"/incidents/{ref}/").content.decode()
    before = row_counts()
    assert web.post(f"{path}status/", {"status": "done"}).status_code == 403
    assert (
        web.post(f"/incidents/{ref}/followups/new/", {"quick": "1", "title": "x"}).status_code
        == 403
    )
    assert web.post(f"{path}export/").status_code == 403
    assert row_counts() == before


def test_mine_and_the_team_overview(
    responder: User, responder_api: Api, ref: str, frozen_clock: MovableClock, service: Any
) -> None:
    api = english(responder_api)
    accounts.add_member(service.team, responder)
    overdue = write(api, ref, "Add an alert on queue depth", owner="rei", due_date="2026-11-30")
    soon = write(api, ref, "Add a contract test", owner="rei", due_date="2026-12-05")
    later = write(api, ref, "Shard the queue", owner="rei")
    done = write(api, ref, "Fix the rounding", owner="rei")
    ok(api.patch(f"/followups/{done['id']}", {"status": "done"}))
    frozen_clock.advance(days=6)  # 2026-12-01
    web = browser(responder)
    mine = web.get("/followups/mine/").content.decode()
    for followup in (overdue, soon, later, done):
        assert followup["title"] in mine
    team = web.get("/followups/teams/payments/").content.decode()
    overdue_at, soon_at, later_at = (team.index(f["title"]) for f in (overdue, soon, later))
    assert team.index('id="overdue"') < overdue_at < team.index('id="due-soon"') < soon_at
    assert team.index('id="later"') < later_at
    assert done["title"] not in team
    listing = web.get("/followups/?overdue=on").content.decode()
    assert overdue["title"] in listing
    assert soon["title"] not in listing
    assert web.get("/followups/").status_code == 200
    assert web.get("/followups/teams/nobody/").status_code == 400


def test_a_viewer_is_not_offered_a_follow_up_under_a_section(
    viewer: User, responder_api: Api, ref: str
) -> None:
    publish_retrospective(english(responder_api), ref)
    document = browser(viewer).get(f"/incidents/{ref}/retrospective/").content.decode()
    assert 'data-testid="section-permanent-fix"' in document
    assert "/followups/new/" not in document
