"""The weekly Performance Review: admins choose its day, the reviews page shows the next review,
holding this week's review opens it once and carries the earlier findings over (every one not
resolved or watched, and a watched one whose potential impact can reach 3), each review keeps
its agenda and its minutes."""

import re
from typing import Any

import pytest
from django.test import Client

from kizuki.accounts.models import User
from kizuki.core.models import AuditEntry
from kizuki.risks.models import Review
from tests.conftest import Api, MovableClock
from tests.risks.support import ok

pytestmark = pytest.mark.usefixtures("frozen_clock")  # Wednesday 2026-11-25 in Tokyo


def browser(user: User) -> Client:
    client = Client(headers={"Accept-Language": "en"})
    client.force_login(user)
    return client


def raise_finding(api: Api, review_id: int, title: str, **fields: Any) -> int:
    body = {"title": title, **fields}
    found: int = ok(api.post(f"/reviews/{review_id}/findings", body), 201)["id"]
    return found


def titles(review: dict[str, Any]) -> list[str]:
    return [finding["title"] for finding in review["agenda"]]


def test_admins_choose_the_review_day_and_everyone_sees_the_next_review(
    admin_api: Api, responder_api: Api, viewer_api: Api
) -> None:
    schedule = ok(viewer_api.get("/review-settings"))
    assert schedule == {
        "weekday": "monday",  # the default
        "next_review": "2026-11-30",
        "this_weeks_review": None,
        "snapshots": False,
    }
    assert responder_api.patch("/review-settings", {"weekday": "friday"}).status_code == 403
    assert admin_api.patch("/review-settings", {"weekday": "someday"}).status_code == 422
    changed = ok(admin_api.patch("/review-settings", {"weekday": "wednesday"}))
    assert changed["weekday"] == "wednesday"
    assert changed["next_review"] == "2026-11-25"  # today, while it is not held yet
    review = ok(responder_api.post("/reviews", {}), 201)
    schedule = ok(viewer_api.get("/review-settings"))
    assert schedule["this_weeks_review"] == review["id"]
    assert schedule["next_review"] == "2026-12-02"
    audit = AuditEntry.objects.filter(action="review.settings").get()
    assert (audit.before, audit.after) == ({"weekday": 0}, {"weekday": 2})


def test_holding_this_weeks_review_opens_it_once(
    admin: User, responder: User, frozen_clock: MovableClock
) -> None:
    web = browser(admin)
    page = web.get("/reviews/").content.decode()
    assert "Next review: <strong>2026-11-30 (Mon)</strong>" in page
    assert 'data-testid="review-settings"' in page
    response = web.post("/reviews/settings/", {"weekday": "2"}, follow=True)
    assert "Next review: <strong>today</strong>" in response.content.decode()
    assert "Hold this week's review" in response.content.decode()

    team = browser(responder)
    assert 'data-testid="review-settings"' not in team.get("/reviews/").content.decode()
    assert team.post("/reviews/settings/", {"weekday": "4"}).status_code == 403
    first = team.post("/reviews/this-week/")["Location"]
    assert re.fullmatch(r"/reviews/\d+/", first)
    frozen_clock.advance(days=2)  # Friday: still this week's
    assert team.post("/reviews/this-week/")["Location"] == first
    page = team.get("/reviews/").content.decode()
    assert "Open this week's review" in page
    assert "Next review: <strong>2026-12-02 (Wed)</strong>" in page
    assert Review.objects.count() == 1
    frozen_clock.advance(days=5)  # the next Wednesday
    assert team.post("/reviews/this-week/")["Location"] != first
    assert Review.objects.count() == 2


def test_the_agenda_carries_over_what_is_still_open_and_keeps_what_was_discussed(
    responder_api: Api, frozen_clock: MovableClock
) -> None:
    first = ok(responder_api.post("/reviews", {"minutes": "Four odd metrics."}), 201)
    slow = raise_finding(responder_api, first["id"], "Slow query", status="investigating")
    raise_finding(responder_api, first["id"], "5xx up on search", status="open")
    raise_finding(responder_api, first["id"], "Disk a little fuller", status="watching")
    raise_finding(responder_api, first["id"], "Batch late once", status="resolved")
    raise_finding(
        responder_api, first["id"], "Memory climbs", status="watching", potential_impact=6
    )

    frozen_clock.advance(days=7)
    second = ok(responder_api.post("/reviews", {}), 201)
    assert titles(second) == ["Slow query", "5xx up on search", "Memory climbs"]
    assert "Memory climbs" in [f["title"] for f in second["agenda"] if f["proposed"]]
    ok(responder_api.patch(f"/findings/{slow}", {"status": "resolved", "note": "Index added."}))
    # Resolved during the second review: both agendas keep it, with its report.
    again = ok(responder_api.get(f"/reviews/{second['id']}"))
    assert titles(again) == titles(second)
    assert again["agenda"][0]["notes"][-2]["text"] == "Index added."
    assert "Slow query" in titles(ok(responder_api.get(f"/reviews/{first['id']}")))

    frozen_clock.advance(days=7)
    third = ok(responder_api.post("/reviews", {}), 201)
    assert titles(third) == ["5xx up on search", "Memory climbs"]


def test_each_review_keeps_its_minutes(responder_api: Api, viewer_api: Api) -> None:
    review = ok(responder_api.post("/reviews", {"minutes": "Checked payments."}), 201)
    changed = ok(
        responder_api.patch(f"/reviews/{review['id']}", {"minutes": "Checked payments, search."})
    )
    assert changed["minutes"] == "Checked payments, search."
    assert ok(viewer_api.get(f"/reviews/{review['id']}"))["minutes"] == changed["minutes"]
    assert viewer_api.patch(f"/reviews/{review['id']}", {"minutes": "x"}).status_code == 403
    assert responder_api.get("/reviews/9999").status_code == 404
    audit = AuditEntry.objects.filter(action="review.update").get()
    assert audit.before == {"minutes": "Checked payments."}


def test_the_review_page_shows_what_is_proposed_for_a_risk_record(
    responder: User, responder_api: Api, frozen_clock: MovableClock
) -> None:
    first = ok(responder_api.post("/reviews", {}), 201)
    raise_finding(responder_api, first["id"], "External API errors", potential_impact=6)
    raise_finding(responder_api, first["id"], "Memory climbs", potential_impact=1)
    web = browser(responder)
    page = web.get(f"/reviews/{first['id']}/").content.decode()
    assert 'data-testid="proposals"' not in page
    assert "a week of investigation on 2026-12-02" in page

    frozen_clock.advance(days=7)
    second = ok(responder_api.post("/reviews", {}), 201)
    page = web.get(f"/reviews/{second['id']}/").content.decode()
    proposals = page.split('data-testid="proposals"')[1].split("</section>")[0]
    assert "Proposed for a risk record" in page
    assert "External API errors" in proposals
    assert "Memory climbs" not in proposals
    assert "its potential impact cannot reach 3" in page
    assert page.count("Promote to a risk") == 1
