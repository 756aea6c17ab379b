"""The risk pages through Django's test client, as a browser without JavaScript uses them:
the register (ordered by priority, filters, counts, visits due), the new-risk and edit forms
(errors once beside the field, input kept), a risk's page with its history and visit form."""

import re
from typing import Any

import pytest
from django.test import Client

from kizuki.accounts.models import User
from tests.conftest import Api, MovableClock
from tests.risks.support import ok, record, row_counts

pytestmark = pytest.mark.usefixtures("frozen_clock")  # 2026-11-25 in Tokyo


def browser(user: User, language: str = "en") -> Client:
    client = Client(headers={"Accept-Language": language})
    client.force_login(user)
    return client


def form(**fields: Any) -> dict[str, Any]:
    return {
        "title": "Batch runs longer every week",
        "status": "not_started",
        "current_impact": "unknown",
        "potential_impact": "unknown",
        "likelihood": "1",
        **fields,
    }


def test_the_register_lists_open_risks_by_priority_with_counts_and_visits_due(
    responder: User, responder_api: Api, service: Any, frozen_clock: MovableClock
) -> None:
    record(responder_api, "Slow query on orders", potential_impact=3, likelihood=1)
    record(
        responder_api,
        "Rate limit of the payment API",
        potential_impact=6,
        likelihood=2,
        services=["checkout"],
        status="in_progress",
        owner="rei",
    )
    record(responder_api, "Old disk fixed", status="done", potential_impact=10, likelihood=2)
    frozen_clock.advance(days=10)
    page = browser(responder).get("/risks/").content.decode()
    table = page.split('data-testid="risk-table"')[1]
    assert table.index("Rate limit of the payment API") < table.index("Slow query on orders")
    assert "Old disk fixed" not in table
    counts = page.split('data-testid="risk-counts"')[1].split("</div>")[0]
    assert re.search(r"<strong>1</strong>Done", counts)
    assert re.search(r"<strong>1</strong>In progress", counts)
    due = page.split('data-testid="risk-due"')[1].split("</section>")[0]
    assert "Rate limit of the payment API" in due
    assert "Slow query on orders" in due
    filtered = browser(responder).get("/risks/", {"service": "checkout"}).content.decode()
    table = filtered.split('data-testid="risk-table"')[1]
    assert "Rate limit" in table
    assert "Slow query" not in table
    done = browser(responder).get("/risks/", {"status": "done"}).content.decode()
    assert "Old disk fixed" in done.split('data-testid="risk-table"')[1]


def test_a_new_risk_is_recorded_and_an_error_keeps_what_was_typed(
    responder: User, responder_api: Api, service: Any
) -> None:
    web = browser(responder)
    before = row_counts()
    response = web.post(
        "/risks/new/",
        form(
            title="Memory climbs on api",
            status="in_progress",
            next_visit="2027-03-01",
            cause="A cache without a limit",
        ),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("Choose a day between 2026-12-02 and 2026-12-25") == 1
    assert 'value="Memory climbs on api"' in page
    assert "A cache without a limit" in page
    assert row_counts() == before
    response = web.post(
        "/risks/new/",
        form(
            title="Memory climbs on api",
            status="in_progress",
            potential_impact="6",
            likelihood="2",
            services=["checkout"],
            owner="rei",
            incidents="INC-999",
        ),
    )
    assert response.content.decode().count("No incident INC-999") == 1
    assert row_counts() == before
    ref = ok(responder_api.post("/incidents", {"title": "Payment API returns 429"}), 201)["number"]
    response = web.post(
        "/risks/new/",
        form(
            title="Memory climbs on api",
            status="in_progress",
            potential_impact="6",
            likelihood="2",
            services=["checkout"],
            owner="rei",
            incidents=ref.lower(),
        ),
        follow=True,
    )
    assert re.fullmatch(r"/risks/\d+/", response.redirect_chain[-1][0])
    page = response.content.decode()
    assert "Risk recorded." in page
    assert re.search(r'data-testid="risk-priority"><strong>12</strong>', page)
    assert 'data-testid="risk-next-visit">2026-12-09' in page
    assert f"{ref} Payment API returns 429" in page


def test_an_interim_measure_shows_as_a_step_down_and_visits_move_the_date(
    responder: User, responder_api: Api
) -> None:
    risk = record(
        responder_api, status="in_progress", current_impact=6, potential_impact=6, likelihood=2
    )
    web = browser(responder)
    edit = web.get(f"/risks/{risk['id']}/edit/").content.decode()
    assert 'value="External API rate limit"' in edit
    response = web.post(
        f"/risks/{risk['id']}/edit/",
        form(
            title=risk["title"],
            status="interim_done",
            current_impact="1",
            potential_impact="6",
            likelihood="2",
            next_visit="2026-12-09",
            reason="Removed the duplicate call.",
        ),
        follow=True,
    )
    page = response.content.decode()
    history = page.split('data-testid="risk-history"')[1]
    assert "Step down" in history
    assert "Current impact: 6 → 1" in history
    assert "Removed the duplicate call." in history
    assert 'data-testid="risk-next-visit">2026-12-25' in page  # the new status's default
    # A visit with a date outside the window: the error once, beside the field.
    response = web.post(
        f"/risks/{risk['id']}/visit/", {"note": "Errors at zero.", "next_visit": "2026-11-30"}
    )
    page = response.content.decode()
    assert page.count("Choose a day between 2026-12-25 and 2027-02-25") == 1
    assert "Errors at zero." in page
    response = web.post(f"/risks/{risk['id']}/visit/", {"note": "Errors at zero."}, follow=True)
    assert "Visit recorded." in response.content.decode()
    assert ok(responder_api.get(f"/risks/{risk['id']}"))["next_visit"] == "2026-12-25"


def test_viewers_see_the_pages_and_are_refused_the_forms(viewer: User, responder_api: Api) -> None:
    risk = record(responder_api, status="in_progress")
    web = browser(viewer)
    assert web.get("/risks/").status_code == 200
    page = web.get(f"/risks/{risk['id']}/").content.decode()
    assert "Record the visit" not in page
    before = row_counts()
    assert web.get("/risks/new/").status_code == 403
    assert web.post("/risks/new/", form()).status_code == 403
    assert web.get(f"/risks/{risk['id']}/edit/").status_code == 403
    assert web.post(f"/risks/{risk['id']}/visit/", {"note": "x"}).status_code == 403
    assert row_counts() == before
