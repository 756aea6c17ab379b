"""The incident page a commander uses at 3 a.m. (issue 11): editing the incident, changing
notes, forms that keep what was typed, finished incidents that stay as they are, the final
message on resolving, clickable links, the header's clock and people, drills."""

import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from kizuki.accounts.models import User
from kizuki.catalog.models import Service
from kizuki.incidents.models import Incident, StatusUpdate, TimelineEntry
from tests.conftest import Api, MovableClock, make_user
from tests.incidents.support import assert_error, english, incident_in, move, report, row_counts
from tests.jobs import run_worker
from tests.notify.support import create_policy, step

pytestmark = pytest.mark.django_db


def browser(user: User) -> Client:
    client = Client(headers={"Accept-Language": "en"})
    client.force_login(user)
    return client


def page(client: Client, ref: str) -> str:
    response = client.get(f"/incidents/{ref}/")
    assert response.status_code == 200
    return response.content.decode()


def send(client: Client, path: str, data: dict[str, Any]) -> str:
    """Post a form that should work: it redirects back; returns the page it lands on."""
    response = client.post(path, data, follow=True)
    assert response.redirect_chain, response.content.decode()[:2000]
    return response.content.decode()


def refused_form(client: Client, path: str, data: dict[str, Any]) -> str:
    """Post a form that has a mistake: the page comes back (no redirect) with the form."""
    response = client.post(path, data)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def timeline_texts(html: str) -> list[str]:
    found = re.search(r'data-testid="timeline">(.*?)</ol>', html, re.S)
    assert found
    texts = re.findall(r'<div class="text">(.*?)</div>', found.group(1), re.S)
    return [re.sub(r"<[^>]+>", "", text).strip() for text in texts]


def head(html: str) -> str:
    found = re.search(r'<header class="incident-head".*?</header>', html, re.S)
    assert found
    return found.group(0)


# --- 1. editing the incident ---------------------------------------------------------------


def test_a_responder_edits_title_description_severity_and_services(
    responder: User, responder_api: Api, service: Service
) -> None:
    ref = incident_in(responder_api, "declared")
    client = browser(responder)
    assert 'action="/incidents/INC-1/edit/"' in page(client, ref)

    html = send(
        client,
        f"/incidents/{ref}/edit/",
        {
            "title": "Checkout returns 500",
            "description": "Card payments fail",
            "severity": "1",
            "services": [service.pk],
        },
    )

    assert '<h1><span class="ref">INC-1</span> Checkout returns 500</h1>' in html
    assert 'data-testid="severity">SEV1 Critical<' in html
    assert timeline_texts(html)[-2:] == [
        "Severity changed from SEV3 to SEV1.",
        "Details edited: title, description, affected services.",
    ]
    incident = Incident.objects.get()
    assert list(incident.services.all()) == [service]


def test_a_declared_incident_cannot_lose_its_severity_and_the_form_keeps_the_typing(
    responder: User, responder_api: Api
) -> None:
    ref = incident_in(responder_api, "declared")
    before = row_counts()

    html = refused_form(
        browser(responder),
        f"/incidents/{ref}/edit/",
        {"title": "Typed title", "description": "Typed story", "severity": ""},
    )

    assert re.search(r'<details class="edit-incident" id="edit_form" open>', html)
    assert 'value="Typed title"' in html
    assert "Typed story</textarea>" in html
    assert row_counts() == before
    assert Incident.objects.get().title == "Checkout fails"


def test_a_viewer_has_no_edit_form_and_is_refused(viewer: User, responder_api: Api) -> None:
    ref = incident_in(responder_api, "declared")
    assert "edit_form" not in page(browser(viewer), ref)

    response = browser(viewer).post(f"/incidents/{ref}/edit/", {"title": "Mine now"})

    assert response.status_code == 403
    assert Incident.objects.get().title == "Checkout fails"


# --- 2. changing and removing notes ----------------------------------------------------------


def test_people_see_edit_and_remove_only_on_notes_they_may_change(
    viewer: User, viewer_api: Api, responder: User, responder_api: Api
) -> None:
    ref = report(viewer_api)["number"]  # the viewer reported it: they may add notes
    mine = viewer_api.post(f"/incidents/{ref}/timeline", {"text": "I saw it first"}).json()["id"]
    theirs = responder_api.post(f"/incidents/{ref}/timeline", {"text": "Rolled back"}).json()["id"]

    as_viewer = page(browser(viewer), ref)
    assert f"/incidents/{ref}/notes/{mine}/" in as_viewer
    assert f"/incidents/{ref}/notes/{theirs}/" not in as_viewer
    as_responder = page(browser(responder), ref)
    assert f"/incidents/{ref}/notes/{mine}/remove/" in as_responder
    assert f"/incidents/{ref}/notes/{theirs}/remove/" in as_responder
    # Automatic entries are not notes: nobody edits "Incident reported."
    assert as_responder.count("/remove/") == 2

    response = browser(viewer).get(f"/incidents/{ref}/notes/{theirs}/")
    assert response.status_code == 403


def test_a_note_is_corrected_on_its_own_page(viewer: User, viewer_api: Api) -> None:
    ref = report(viewer_api)["number"]
    entry = viewer_api.post(f"/incidents/{ref}/timeline", {"text": "Checkuot down"}).json()
    written_at = TimelineEntry.objects.get(pk=entry["id"]).occurred_at
    client = browser(viewer)
    form = client.get(f"/incidents/{ref}/notes/{entry['id']}/").content.decode()
    assert "Checkuot down</textarea>" in form
    when = re.search(r'name="occurred_at" value="([^"]+)"', form)
    assert when

    html = send(
        client,
        f"/incidents/{ref}/notes/{entry['id']}/",
        {"text": "Checkout down", "occurred_at": when.group(1)},
    )

    assert "Checkout down" in timeline_texts(html)
    stored = TimelineEntry.objects.get(pk=entry["id"])
    assert (stored.text, stored.edited_at is not None) == ("Checkout down", True)
    # The minute shown, sent back unchanged, keeps the exact time.
    assert stored.occurred_at == written_at


def test_removing_a_note_asks_first(responder: User, responder_api: Api) -> None:
    ref = incident_in(responder_api, "declared")
    entry = responder_api.post(f"/incidents/{ref}/timeline", {"text": "Wrong room"}).json()
    client = browser(responder)

    question = client.get(f"/incidents/{ref}/notes/{entry['id']}/remove/").content.decode()
    assert "Remove this note?" in question
    assert 'data-testid="note-to-remove">Wrong room<' in question
    assert TimelineEntry.objects.get(pk=entry["id"]).removed_at is None

    html = send(client, f"/incidents/{ref}/notes/{entry['id']}/remove/", {})

    assert "The note was removed." in html
    assert "Wrong room" not in timeline_texts(html)
    assert TimelineEntry.objects.get(pk=entry["id"]).removed_at is not None


def test_an_automatic_entry_has_no_edit_page(responder: User, responder_api: Api) -> None:
    ref = incident_in(responder_api, "reported")
    reported = TimelineEntry.objects.get(event="reported")

    response = browser(responder).get(f"/incidents/{ref}/notes/{reported.pk}/")

    assert response.status_code == 404


# --- 3. forms that keep what was typed ----------------------------------------------------


def test_an_impact_ending_before_it_started_is_refused_in_the_api(responder_api: Api) -> None:
    api = english(responder_api)
    ref = incident_in(api, "declared")
    before = row_counts()

    response = api.patch(
        f"/incidents/{ref}",
        {
            "impact_started_at": "2026-11-25T10:00:00+09:00",
            "impact_ended_at": "2026-11-25T09:00:00+09:00",
        },
    )

    assert_error(response, 400, "invalid", "The impact cannot end before it started.")
    assert row_counts() == before
    # Setting the end alone, before a start already there, is refused too.
    api.patch(f"/incidents/{ref}", {"impact_started_at": "2026-11-25T10:00:00+09:00"})
    later = api.patch(f"/incidents/{ref}", {"impact_ended_at": "2026-11-25T09:59:00+09:00"})
    assert_error(later, 400, "invalid", "The impact cannot end before it started.")


def test_the_impact_form_comes_back_open_with_the_typing_and_the_error_once(
    responder: User, responder_api: Api
) -> None:
    ref = incident_in(responder_api, "declared")
    before = row_counts()

    html = refused_form(
        browser(responder),
        f"/incidents/{ref}/impact/",
        {
            "customers_affected": "All card buyers",
            "impact_started_at": "2026-11-25T10:00",
            "impact_ended_at": "2026-11-25T09:00",
        },
    )

    assert '<details id="impact_form" open>' in html
    assert "All card buyers</textarea>" in html
    assert 'value="2026-11-25T09:00"' in html
    assert html.count("The impact cannot end before it started.") == 1
    # The error sits with the end field.
    assert re.search(
        r"The impact cannot end before it started\.</li></ul>\s*<input[^>]*impact_ended_at", html
    )
    assert row_counts() == before


def test_a_status_update_with_a_past_next_time_keeps_the_text(
    responder: User, responder_api: Api, frozen_clock: MovableClock
) -> None:
    ref = incident_in(responder_api, "declared")

    html = refused_form(
        browser(responder),
        f"/incidents/{ref}/status/",
        {"text": "Rolling back", "next_update_at": "2026-11-25T09:00"},
    )

    assert "Rolling back</textarea>" in html
    assert html.count("The next update must be a future time with its time zone.") == 1
    assert StatusUpdate.objects.count() == 0


# --- 4. finished incidents are read-only ----------------------------------------------------


@pytest.mark.parametrize("status", ["closed", "false_alarm"])
def test_a_finished_incident_offers_no_forms(
    status: str, responder: User, responder_api: Api
) -> None:
    ref = incident_in(responder_api, status)

    html = page(browser(responder), ref)

    assert 'data-testid="read-only"' in html
    for action in ("status", "timeline", "roles", "impact", "edit"):
        assert f'action="/incidents/{ref}/{action}/"' not in html


@pytest.mark.parametrize("status", ["closed", "false_alarm"])
@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("patch", "", {"title": "New"}),
        ("post", "/timeline", {"text": "Late note"}),
        ("post", "/status-updates", {"text": "Late update"}),
        ("post", "/roles", {"role": "scribe", "user": "rei"}),
    ],
)
def test_the_api_refuses_to_change_a_finished_incident(
    status: str, method: str, path: str, body: dict[str, Any], responder_api: Api
) -> None:
    api = english(responder_api)
    ref = incident_in(api, status)
    before = row_counts()

    response = getattr(api, method)(f"/incidents/{ref}{path}", body)

    assert_error(response, 409, "conflict", "can no longer be changed")
    assert row_counts() == before


def test_notes_of_a_finished_incident_stay_as_they_are(responder_api: Api) -> None:
    api = english(responder_api)
    ref = incident_in(api, "resolved")
    entry = api.post(f"/incidents/{ref}/timeline", {"text": "Root cause found"}).json()
    assert move(api, ref, "closed").status_code == 200

    assert_error(
        api.patch(f"/incidents/{ref}/timeline/{entry['id']}", {"text": "x"}), 409, "conflict"
    )
    assert_error(api.delete(f"/incidents/{ref}/timeline/{entry['id']}"), 409, "conflict")


def test_a_resolved_incident_no_longer_promises_a_next_update(
    responder: User, responder_api: Api, frozen_clock: MovableClock
) -> None:
    ref = incident_in(responder_api, "declared")
    responder_api.post(
        f"/incidents/{ref}/status-updates",
        {"text": "Rolling back", "next_update_at": "2026-11-25T02:00:00Z"},
    )
    client = browser(responder)
    assert "next update by" in page(client, ref)

    move(responder_api, ref, "resolved")
    html = page(client, ref)

    assert "next update by" not in html
    assert 'data-testid="next-update"' not in html
    assert 'name="next_update_at"' not in html


# --- 5. the final message to stakeholders on resolving --------------------------------------


def subscribe_boss(viewer_api: Api) -> None:
    response = viewer_api.post("/subscriptions", {"kind": "email", "address": "boss@example.test"})
    assert response.status_code == 201, response.json()


def test_resolving_from_the_page_tells_the_stakeholders(
    responder: User, responder_api: Api, viewer_api: Api
) -> None:
    subscribe_boss(viewer_api)
    ref = incident_in(responder_api, "mitigated")
    client = browser(responder)
    form = page(client, ref)
    default = re.search(r'data-testid="final-message">(.*?)</textarea>', form, re.S)
    assert default
    assert default.group(1).startswith("This incident is resolved.")

    send(
        client,
        f"/incidents/{ref}/transition/",
        {"to": "resolved", "final_message": "All payments work again."},
    )
    run_worker()

    update = StatusUpdate.objects.get()
    assert (update.text, update.audience, update.status) == (
        "All payments work again.",
        "stakeholders",
        "resolved",
    )
    assert [m.to for m in mail.outbox if "All payments work again." in str(m.body)] == [
        ["boss@example.test"]
    ]


def test_the_api_takes_a_final_message_and_a_drill_tells_nobody(
    responder_api: Api, viewer_api: Api
) -> None:
    subscribe_boss(viewer_api)
    ref = incident_in(responder_api, "declared", is_drill=True)

    response = move(responder_api, ref, "resolved", final_message="Drill over.")
    run_worker()

    assert response.status_code == 200
    assert StatusUpdate.objects.get().text == "Drill over."
    assert not [m for m in mail.outbox if "Drill over." in str(m.body)]
    assert viewer_api.get("/status").json()["recently_resolved"] == []


def test_a_final_message_only_goes_with_resolving(responder_api: Api) -> None:
    ref = incident_in(responder_api, "declared")
    assert move(responder_api, ref, "mitigated", final_message="Not yet").status_code == 200
    assert StatusUpdate.objects.count() == 0


# --- 6. links and long texts ------------------------------------------------------------------


def test_links_are_clickable_and_nothing_else_becomes_markup(
    responder: User, responder_api: Api
) -> None:
    ref = incident_in(
        responder_api,
        "declared",
        description="Dashboard: https://grafana.example.test/d/1?x=1&y=2. Not javascript:alert(1)",
    )
    responder_api.post(
        f"/incidents/{ref}/timeline", {"text": "<script>alert(1)</script> see http://wiki.test/a"}
    )

    html = page(browser(responder), ref)

    assert (
        '<a href="https://grafana.example.test/d/1?x=1&amp;y=2" rel="noopener noreferrer nofollow">'
        in html
    )
    assert 'href="javascript:' not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; see " in html
    assert '<a href="http://wiki.test/a" rel="noopener noreferrer nofollow">' in html


def test_a_note_over_the_limit_is_refused_and_the_limit_is_said(
    responder: User, responder_api: Api
) -> None:
    api = english(responder_api)
    ref = incident_in(api, "declared")
    assert "At most 5,000 characters." in page(browser(responder), ref)

    response = api.post(f"/incidents/{ref}/timeline", {"text": "x" * 5001})
    assert_error(response, 400, "invalid", "at most 5,000 characters", "5,001")

    html = refused_form(browser(responder), f"/incidents/{ref}/timeline/", {"text": "y" * 5001})
    assert "Ensure this value has at most 5000 characters (it has 5001)." in html
    assert "y" * 5001 + "</textarea>" in html
    assert TimelineEntry.objects.filter(kind="note").count() == 0


def test_a_long_note_is_all_on_the_page_ready_to_fold(responder: User, responder_api: Api) -> None:
    ref = incident_in(responder_api, "declared")
    long_text = "Log line\n" * 20 + "THE END"
    responder_api.post(f"/incidents/{ref}/timeline", {"text": long_text})

    html = page(browser(responder), ref)

    assert 'class="long-text ' in html
    assert "THE END" in html  # everything is there without a script
    assert '<button type="button" class="show-more link-button" hidden>Show more</button>' in html


# --- 7. the header: clocks, countdown, people -----------------------------------------------


def test_the_header_counts_down_to_the_next_update_and_turns_overdue(
    responder: User, responder_api: Api, frozen_clock: MovableClock
) -> None:
    ref = incident_in(responder_api, "reported")
    frozen_clock.advance(minutes=10)
    move(responder_api, ref, "declared", severity=2)  # SEV2: an update every 30 minutes
    client = browser(responder)

    frozen_clock.advance(minutes=18)
    top = head(page(client, ref))
    assert re.search(r'data-testid="since-reported">28 min<', top)
    assert re.search(r'data-testid="since-declared">18 min<', top)
    countdown = re.search(r'<time class="countdown"[^>]*>in 12 min</time>', top, re.S)
    assert countdown
    # In the reader's zone (Tokyo), with the offset the script reads.
    assert 'data-due="2026-11-25T10:40:00+09:00"' in countdown.group(0)
    assert 'data-now="2026-11-25T10:28:00+09:00"' in countdown.group(0)
    assert 'data-late="overdue by {time}"' in countdown.group(0)

    frozen_clock.advance(minutes=12, seconds=30)
    assert ">due now</time>" in head(page(client, ref))

    frozen_clock.advance(minutes=3)
    top = head(page(client, ref))
    assert re.search(r'<time class="countdown overdue"[^>]*>overdue by 3 min</time>', top, re.S)

    # A status update promising a time resets the clock.
    responder_api.post(
        f"/incidents/{ref}/status-updates",
        {"text": "Rolling back", "next_update_at": "2026-11-25T02:30:00Z"},
    )
    assert re.search(r">in 46 min</time>", head(page(client, ref)))


def test_the_header_names_the_commander_and_who_is_on_call(
    responder: User, responder_api: Api, admin_api: Api, service: Service
) -> None:
    aoi = make_user("aoi", "responder")
    aoi.first_name = "Aoi Sato"
    aoi.save()
    policy = create_policy(admin_api, "Checkout on-call", [step(("user", "aoi"))])
    admin_api.patch(f"/services/{service.pk}", {"escalation_policy": policy["id"]})
    ref = incident_in(responder_api, "declared", services=["checkout"])
    client = browser(responder)
    assert re.search(
        r'data-testid="commander"><span class="missing">nobody yet<', page(client, ref)
    )

    responder_api.post(f"/incidents/{ref}/roles", {"role": "incident_commander", "user": "aoi"})
    top = head(page(client, ref))

    assert 'data-testid="commander">Aoi Sato<' in top
    assert "On call (Checkout on-call)" in top
    assert 'data-testid="on-call">Aoi Sato<' in top


# --- 8. drills ----------------------------------------------------------------------------


def test_a_drill_is_reported_from_the_form_and_shown_as_one(viewer: User) -> None:
    client = browser(viewer)
    response = client.post("/report/", {"title": "Fire drill", "is_drill": "on"})
    assert response.status_code == 302

    incident = Incident.objects.get()
    assert incident.is_drill
    assert 'data-testid="drill">Drill<' in page(client, incident.ref)
    assert '<span class="tag drill">Drill</span>' in client.get("/incidents/").content.decode()


def test_declaring_from_the_page_can_make_it_a_drill(responder: User, responder_api: Api) -> None:
    ref = incident_in(responder_api, "reported")
    client = browser(responder)
    assert 'data-testid="declare-drill"' in page(client, ref)

    send(
        client,
        f"/incidents/{ref}/transition/",
        {"to": "declared", "severity": "3", "is_drill": "on", "drill_asked": "1"},
    )

    incident = Incident.objects.get()
    assert (incident.status, incident.is_drill) == ("declared", True)
    # Another move from an older form that did not ask leaves it alone.
    send(client, f"/incidents/{ref}/transition/", {"to": "mitigated"})
    assert Incident.objects.get().is_drill


def test_the_drill_toggle_is_there_until_declared_and_refused_after(
    responder: User, responder_api: Api
) -> None:
    api = english(responder_api)
    ref = incident_in(api, "acknowledged")
    client = browser(responder)
    assert 'id="id_edit_is_drill"' in page(client, ref)
    assert api.patch(f"/incidents/{ref}", {"is_drill": True}).json()["is_drill"] is True

    move(api, ref, "declared", severity=3)

    assert 'id="id_edit_is_drill"' not in page(client, ref)
    response = api.patch(f"/incidents/{ref}", {"is_drill": False})
    assert_error(response, 400, "invalid", "cannot change once it is declared")
    assert api.patch(f"/incidents/{ref}", {"is_drill": True}).status_code == 200  # no change


def test_the_dashboard_counts_drills_apart(responder: User, responder_api: Api) -> None:
    incident_in(responder_api, "declared")
    incident_in(responder_api, "declared", is_drill=True)
    incident_in(responder_api, "reported", is_drill=True)

    html = browser(responder).get("/").content.decode()

    assert re.search(r"<strong>1</strong> open", html)
    assert re.search(r'data-testid="drill-count">.*?<strong>2</strong>', html, re.S)
    assert html.count('<span class="tag drill">Drill</span>') >= 3
