"""The web pages, driven through Django's test client the way a browser would use them:
logged-in GETs, form POSTs, following the redirect and reading the page that comes back."""

import re
from datetime import UTC, datetime
from html.parser import HTMLParser
from typing import Any

import pytest
from django.test import Client

from kizuki.accounts.models import User
from kizuki.catalog.models import Service
from kizuki.incidents.models import Incident, StatusUpdate, TimelineEntry
from tests.conftest import PASSWORD, Api, MovableClock
from tests.incidents.support import incident_in, move, report, row_counts

pytestmark = pytest.mark.django_db


def browser(user: User | None = None, language: str = "en") -> Client:
    """A browser asking for `language` (English keeps the texts predictable), logged in as user."""
    client = Client(headers={"Accept-Language": language})
    if user is not None:
        client.force_login(user)
    return client


def refs(html: str) -> list[str]:
    """Incident references linked on the page, in page order."""
    return re.findall(r">(INC-\d+)</a>", html)


class Sections(HTMLParser):
    """Collects, per <section>, its <h2> text and the incident references linked inside."""

    def __init__(self) -> None:
        super().__init__()
        self.sections: list[dict[str, Any]] = []
        self._in_h2 = False
        self._in_a = False

    def handle_starttag(self, tag: str, _attrs: list[tuple[str, str | None]]) -> None:
        if tag == "section":
            self.sections.append({"title": "", "refs": []})
        self._in_h2 = self._in_h2 or tag == "h2"
        self._in_a = self._in_a or tag == "a"

    def handle_endtag(self, tag: str) -> None:
        if tag == "h2":
            self._in_h2 = False
        if tag == "a":
            self._in_a = False

    def handle_data(self, data: str) -> None:
        if not self.sections:
            return
        current = self.sections[-1]
        if self._in_h2:
            current["title"] += data
        if self._in_a and re.fullmatch(r"INC-\d+", data.strip()):
            current["refs"].append(data.strip())


def groups(html: str) -> dict[str, list[str]]:
    """Dashboard groups: heading (without its count) -> the incidents listed under it."""
    parser = Sections()
    parser.feed(html)
    return {
        re.sub(r"\s*\d+$", "", section["title"].strip()): section["refs"]
        for section in parser.sections
        if section["refs"]
    }


def messages(html: str) -> list[str]:
    found = re.findall(r'role="status">(.*?)</p>', html, re.S)
    return [re.sub(r"\s+", " ", message).strip() for message in found]


def page(client: Client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def post(client: Client, path: str, data: dict[str, Any]) -> str:
    """Submit a form, check it redirects back, and return the page it lands on."""
    response = client.post(path, data, follow=True)
    assert response.redirect_chain, "the form did not redirect"
    assert response.status_code == 200
    return response.content.decode()


# --- dashboard and list -------------------------------------------------------------------


def test_dashboard_puts_untriaged_reports_first_then_the_most_severe_and_leaves_out_finished(
    responder: User, responder_api: Api
) -> None:
    sev2 = report(responder_api, "Checkout fails", severity=2)["number"]
    assert move(responder_api, sev2, "mitigated").status_code == 200
    sev3 = incident_in(responder_api, "declared", title="Search is slow")
    reported = incident_in(responder_api, "reported", title="Odd numbers on the report")
    acknowledged = incident_in(responder_api, "acknowledged", title="Maybe slow logins")
    incident_in(responder_api, "closed", title="Old outage")
    incident_in(responder_api, "false_alarm", title="Not an outage")
    incident_in(responder_api, "resolved", title="Fixed already")

    html = page(browser(responder), "/")

    assert groups(html) == {
        "Untriaged reports": [reported],
        "Open incidents": [sev2, sev3, acknowledged],
    }
    assert "Old outage" not in html
    assert "Not an outage" not in html
    assert "Fixed already" not in html
    assert "No open incidents." not in html


def test_dashboard_with_nothing_open_says_so(viewer: User, responder_api: Api) -> None:
    incident_in(responder_api, "closed")

    html = page(browser(viewer), "/")

    assert groups(html) == {}
    assert "No open incidents." in html


def test_list_filters_by_status_severity_and_text(
    viewer: User, responder_api: Api, service: Service
) -> None:
    declared = incident_in(responder_api, "declared", title="Checkout fails")
    reported = incident_in(responder_api, "reported", title="Search is slow", services=["checkout"])
    closed = incident_in(responder_api, "closed", title="Checkout was slow")
    severe = report(responder_api, "Ledger down", severity=1)["number"]
    client = browser(viewer)

    assert refs(page(client, "/incidents/")) == [severe, closed, reported, declared]
    assert refs(page(client, "/incidents/?status=declared")) == [severe, declared]
    assert refs(page(client, "/incidents/?status=closed")) == [closed]
    assert refs(page(client, "/incidents/?severity=1")) == [severe]
    assert refs(page(client, "/incidents/?severity=3")) == [closed, declared]
    assert refs(page(client, "/incidents/?text=checkout")) == [closed, declared]
    assert refs(page(client, "/incidents/?text=checkout&status=declared")) == [declared]
    assert refs(page(client, "/incidents/?service=checkout")) == [reported]
    assert refs(page(client, "/incidents/?team=payments")) == [reported]
    empty = page(client, "/incidents/?text=nothing-like-this")
    assert refs(empty) == []
    assert "Nothing here." in empty


# --- reporting ----------------------------------------------------------------------------


def test_reporting_through_the_form_thanks_the_reporter(viewer: User, service: Service) -> None:
    client = browser(viewer)
    form = page(client, "/report/")
    assert 'name="title"' in form

    response = client.post(
        "/report/",
        {"title": "Payment page spins", "description": "Since 10:00", "services": [service.pk]},
    )

    assert response.status_code == 302
    assert response["Location"] == "/incidents/INC-1/thanks/"
    thanks = page(client, response["Location"])
    assert "Thank you for reporting" in thanks
    assert "Your report is INC-1." in thanks
    incident = Incident.objects.get(number=1)
    assert (incident.title, incident.description, incident.status) == (
        "Payment page spins",
        "Since 10:00",
        "reported",
    )
    assert incident.reporter == viewer
    assert [s.slug for s in incident.services.all()] == ["checkout"]
    assert incident.team is not None
    assert incident.team.slug == "payments"


def test_a_report_without_a_title_shows_the_form_again(viewer: User) -> None:
    before = row_counts()

    response = browser(viewer).post("/report/", {"title": "", "description": "Something"})

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert row_counts() == before


# --- acting on an incident ----------------------------------------------------------------


def test_a_viewer_cannot_declare_and_nothing_changes(viewer: User, responder_api: Api) -> None:
    ref = incident_in(responder_api, "reported")
    before = row_counts()

    response = browser(viewer).post(
        f"/incidents/{ref}/transition/", {"to": "declared", "severity": "2"}
    )

    # A refusal is its own page, before the form is even read: not a message beside it.
    assert response.status_code == 403
    assert "This needs the Responder role." in response.content.decode()
    assert row_counts() == before
    incident = Incident.objects.get(number=1)
    assert (incident.status, incident.severity) == ("reported", None)


def test_a_responder_moves_an_incident_along(
    responder: User, responder_api: Api, frozen_clock: MovableClock
) -> None:
    ref = incident_in(responder_api, "reported", title="Checkout fails")
    client = browser(responder)
    detail = page(client, f"/incidents/{ref}/")
    assert 'value="declared"' in detail
    assert 'value="closed"' not in detail

    frozen_clock.advance(minutes=5)
    html = post(
        client,
        f"/incidents/{ref}/transition/",
        {"to": "declared", "severity": "2", "note": "Paging"},
    )

    assert messages(html) == ["Saved."]
    assert re.search(r'data-testid="status">Declared<', html)
    assert re.search(r'data-testid="severity">SEV2 Major<', html)
    assert "Declared as SEV2. Note: Paging" in html
    incident = Incident.objects.get(number=1)
    assert incident.status == "declared"
    assert incident.declared_at == datetime(2026, 11, 25, 1, 5, tzinfo=UTC)
    # Now the declared incident offers mitigation, not declaring again.
    assert 'value="mitigated"' in html
    assert 'value="declared"' not in html


def test_a_refused_move_shows_why_and_changes_nothing(responder: User, responder_api: Api) -> None:
    ref = incident_in(responder_api, "reported")
    before = row_counts()

    html = post(browser(responder), f"/incidents/{ref}/transition/", {"to": "closed"})

    assert messages(html) == [
        "INC-1 is Reported and cannot move to closed; allowed: acknowledged, declared, false_alarm."
    ]
    assert row_counts() == before


def test_an_invalid_form_shows_the_field_error(responder: User, responder_api: Api) -> None:
    ref = incident_in(responder_api, "reported")
    before = row_counts()

    html = post(
        browser(responder), f"/incidents/{ref}/transition/", {"to": "declared", "severity": "9"}
    )

    assert messages(html) == [
        "Severity: Select a valid choice. That choice is not one of the available choices."
    ]
    assert row_counts() == before


def test_assigning_a_role_shows_the_holder(
    responder: User, admin: User, responder_api: Api
) -> None:
    ref = incident_in(responder_api, "declared")
    client = browser(responder)

    html = post(client, f"/incidents/{ref}/roles/", {"role": "incident_commander", "user": "aki"})

    assert messages(html) == ["Saved."]
    roles = re.search(r'data-testid="roles">(.*?)</ul>', html, re.S)
    assert roles
    assert "<strong>Incident Commander</strong> aki" in roles.group(1)
    assert "aki assigned as Incident Commander." in html

    html = post(client, f"/incidents/{ref}/roles/", {"role": "incident_commander", "user": "rei"})
    roles = re.search(r'data-testid="roles">(.*?)</ul>', html, re.S)
    assert roles
    assert "rei" in roles.group(1)
    assert "aki" not in roles.group(1)


def test_assigning_a_role_to_an_unknown_person_is_refused(
    responder: User, responder_api: Api
) -> None:
    ref = incident_in(responder_api, "declared")
    before = row_counts()

    html = post(browser(responder), f"/incidents/{ref}/roles/", {"role": "scribe", "user": "ghost"})

    assert "Saved." not in messages(html)
    assert any(m.startswith("Person: Select a valid choice.") for m in messages(html))
    assert row_counts() == before


def test_a_backdated_timeline_entry_takes_its_place(
    responder: User, responder_api: Api, frozen_clock: MovableClock
) -> None:
    """The datetime-local field is read in the user's zone: Asia/Tokyo unless they chose one."""
    ref = incident_in(responder_api, "reported")
    frozen_clock.advance(minutes=30)

    html = post(
        browser(responder),
        f"/incidents/{ref}/timeline/",
        {"text": "First alert in the logs", "occurred_at": "2026-11-25T09:40"},
    )

    assert messages(html) == ["Saved."]
    entry = TimelineEntry.objects.get(kind="note")
    assert entry.occurred_at == datetime(2026, 11, 25, 0, 40, tzinfo=UTC)
    assert entry.created_at == datetime(2026, 11, 25, 1, 30, tzinfo=UTC)
    assert entry.author == responder
    timeline = re.search(r'data-testid="timeline">(.*?)</ol>', html, re.S)
    assert timeline
    items = re.findall(
        r'>(\d{4}-\d\d-\d\d \d\d:\d\d)</time>\s*<div class="text">(.*?)</div>', timeline.group(1)
    )
    assert items == [
        ("2026-11-25 09:40", "First alert in the logs"),
        ("2026-11-25 10:00", "Incident reported."),
    ]


def test_a_timeline_entry_in_the_future_is_refused(
    responder: User, responder_api: Api, frozen_clock: MovableClock
) -> None:
    ref = incident_in(responder_api, "reported")
    before = row_counts()

    response = browser(responder).post(
        f"/incidents/{ref}/timeline/",
        {"text": "Will happen", "occurred_at": "2026-11-25T11:00"},
    )

    # The page comes back with the note still typed and the reason given once, in the form.
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("A timeline entry cannot be in the future.") == 1
    assert messages(html) == []
    assert "Will happen</textarea>" in html
    assert row_counts() == before


def test_a_status_update_appears_as_the_latest(
    responder: User, responder_api: Api, frozen_clock: MovableClock
) -> None:
    ref = incident_in(responder_api, "declared")

    html = post(
        browser(responder),
        f"/incidents/{ref}/status/",
        {"text": "Rolling back the deploy", "next_update_at": "2026-11-25T10:30"},
    )

    assert messages(html) == ["Saved."]
    latest = re.search(r'data-testid="latest-update">(.*?)</blockquote>', html, re.S)
    assert latest
    assert latest.group(1).strip() == "Rolling back the deploy"
    assert "next update by 2026-11-25 10:30" in html
    assert "Status update: Rolling back the deploy" in html
    update = StatusUpdate.objects.get()
    assert update.next_update_at == datetime(2026, 11, 25, 1, 30, tzinfo=UTC)
    assert (update.status, update.author) == ("declared", responder)


def test_a_viewer_cannot_post_a_status_update(viewer: User, responder_api: Api) -> None:
    ref = incident_in(responder_api, "declared")
    before = row_counts()

    response = browser(viewer).post(f"/incidents/{ref}/status/", {"text": ""})

    # Refused before the (invalid) form is looked at: a 403 page, not "text is required".
    assert response.status_code == 403
    html = response.content.decode()
    assert "This needs the Responder role." in html
    assert "required" not in html
    assert row_counts() == before


# --- errors, login, language --------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/incidents/INC-99/", "/incidents/INC-99/thanks/", "/incidents/nope/"]
)
def test_an_unknown_incident_is_a_404_page(viewer: User, path: str) -> None:
    response = browser(viewer).get(path)

    assert response.status_code == 404
    html = response.content.decode()
    assert "That did not work" in html
    assert "No incident" in html


def test_posting_to_an_unknown_incident_is_a_404(responder: User) -> None:
    response = browser(responder).post("/incidents/INC-99/transition/", {"to": "declared"})

    assert response.status_code == 404


@pytest.mark.parametrize("path", ["/", "/incidents/", "/report/", "/incidents/INC-1/"])
def test_anonymous_visitors_are_sent_to_log_in(path: str, responder_api: Api) -> None:
    incident_in(responder_api, "reported")

    response = browser().get(path)

    assert response.status_code == 302
    assert response["Location"] == f"/login/?next={path}"


def test_an_anonymous_post_changes_nothing(responder_api: Api) -> None:
    ref = incident_in(responder_api, "reported")
    before = row_counts()

    response = browser().post(f"/incidents/{ref}/transition/", {"to": "false_alarm"})

    assert response.status_code == 302
    assert response["Location"].startswith("/login/")
    assert row_counts() == before


def test_logging_in_through_the_form_lands_on_the_dashboard(responder: User) -> None:
    client = browser()
    response = client.post("/login/", {"username": "rei", "password": PASSWORD}, follow=True)

    assert response.redirect_chain[-1][0] == "/"
    assert "Open incidents" in response.content.decode()


def test_choosing_english_sticks_to_the_user(viewer: User) -> None:
    client = browser(viewer, language="ja")
    first = client.get("/incidents/")
    assert '<html lang="ja">' in first.content.decode()

    response = client.post("/account/language/", {"language": "en", "next": "/incidents/"})

    assert response.status_code == 302
    assert response["Location"] == "/incidents/"
    viewer.refresh_from_db()
    assert viewer.language == "en"
    after = client.get("/incidents/")
    assert after["Content-Language"] == "en"
    assert '<html lang="en">' in after.content.decode()
    # It follows the user to another browser that still asks for Japanese.
    elsewhere = browser(viewer, language="ja").get("/")
    assert elsewhere["Content-Language"] == "en"
    assert '<html lang="en">' in elsewhere.content.decode()


def test_the_language_switch_only_redirects_within_the_site(viewer: User) -> None:
    response = browser(viewer).post(
        "/account/language/", {"language": "en", "next": "https://evil.example/"}
    )

    assert response.status_code == 302
    assert response["Location"] == "/"


def test_an_unknown_language_is_refused(viewer: User) -> None:
    response = browser(viewer).post("/account/language/", {"language": "xx", "next": "/"})

    assert response.status_code == 400
    assert "Unknown language xx." in response.content.decode()
    viewer.refresh_from_db()
    assert viewer.language == ""
