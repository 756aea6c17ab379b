"""The Performance Review pages through Django's test client, without JavaScript: hold a
review, raise a finding, report on it, and once it meets the entry criteria promote it to a
risk in one click; viewers read and are refused the forms."""

import re

import pytest
from django.test import Client

from kizuki.accounts.models import User
from tests.conftest import MovableClock
from tests.risks.support import row_counts

pytestmark = pytest.mark.usefixtures("frozen_clock")  # 2026-11-25 in Tokyo


def browser(user: User) -> Client:
    client = Client(headers={"Accept-Language": "en"})
    client.force_login(user)
    return client


def test_a_finding_is_raised_reported_and_promoted_in_one_click(
    responder: User, frozen_clock: MovableClock
) -> None:
    web = browser(responder)
    response = web.post("/reviews/", {"held_on": "2026-11-25", "minutes": "Batch times up."})
    review_url = response["Location"]
    assert re.fullmatch(r"/reviews/\d+/", review_url)
    review_id = int(review_url.split("/")[2])
    bad = web.post(f"{review_url}findings/", {"title": "", "link": "not a link"})
    assert bad.status_code == 200
    assert bad.content.decode().count("This field is required.") == 1
    web.post(
        f"{review_url}findings/",
        {"title": "Nightly batch runs longer", "assignee": "rei", "potential_impact": "unknown"},
    )
    page = web.get(review_url).content.decode()
    assert "Nightly batch runs longer" in page
    assert 'data-testid="proposed"' not in page
    finding_id = int(re.findall(rf"/reviews/{review_id}/findings/(\d+)/report/", page)[0])
    web.post(
        f"{review_url}findings/{finding_id}/report/",
        {
            f"f{finding_id}-note": "A full scan of orders.",
            f"f{finding_id}-status": "investigating",
            f"f{finding_id}-potential_impact": "6",
        },
    )
    frozen_clock.advance(days=7)
    page = web.get(review_url).content.decode()
    assert "A full scan of orders." in page
    assert 'data-testid="proposed"' in page
    response = web.post(
        f"{review_url}findings/{finding_id}/promote/", {"likelihood": "2"}, follow=True
    )
    assert re.fullmatch(r"/risks/\d+/", response.redirect_chain[-1][0])
    risk_page = response.content.decode()
    assert re.search(r'data-testid="risk-priority"><strong>12</strong>', risk_page)
    assert "A full scan of orders." in risk_page
    assert f'href="/reviews/{review_id}/"' in risk_page  # found in that review


def test_the_minutes_are_written_after_the_review(responder: User) -> None:
    web = browser(responder)
    review_url = web.post("/reviews/", {"held_on": "2026-11-25"})["Location"]
    response = web.post(f"{review_url}minutes/", {"minutes": "Two findings, one promoted."})
    assert response["Location"] == review_url
    minutes = web.get(review_url).content.decode().split('data-testid="review-minutes"')[1]
    assert "Two findings, one promoted." in minutes


def test_viewers_read_reviews_and_are_refused_the_forms(responder: User, viewer: User) -> None:
    review_url = browser(responder).post("/reviews/", {"held_on": "2026-11-25"})["Location"]
    web = browser(viewer)
    assert web.get("/reviews/").status_code == 200
    assert "Raise a finding" not in web.get(review_url).content.decode()
    before = row_counts()
    assert web.post("/reviews/", {"held_on": "2026-11-25"}).status_code == 403
    assert web.post(f"{review_url}findings/", {"title": "x"}).status_code == 403
    assert row_counts() == before
