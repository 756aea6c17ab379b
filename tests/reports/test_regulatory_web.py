"""The regulator reports on the web: the panel on a major incident's page, preparing a stage,
editing its sections (errors shown once, input kept), versions, recording submission."""

from typing import Any

import pytest

from kizuki.accounts.models import User
from tests.conftest import Api, MovableClock
from tests.retros.domain_support import in_language, resolved_incident
from tests.retros.web_support import browser, page, post

pytestmark = pytest.mark.django_db


@pytest.fixture
def ref(responder_api: Api, frozen_clock: MovableClock) -> str:
    return resolved_incident(in_language(responder_api, "en"), frozen_clock)


def prepared(responder: User, ref: str) -> tuple[Any, str]:
    client = browser(responder)
    response = post(client, f"/incidents/{ref}/regulatory/prepare/", {"stage": "initial"})
    assert response.status_code == 200
    path = response.redirect_chain[-1][0]
    return client, path


def test_a_major_incident_offers_the_three_stages(responder: User, ref: str) -> None:
    html = page(browser(responder), f"/incidents/{ref}/")
    assert 'data-testid="regulatory-panel"' in html
    for label in ("Prepare Initial report", "Prepare Interim report", "Prepare Final report"):
        assert label in html


def test_a_minor_incident_has_no_panel(
    responder: User, responder_api: Api, frozen_clock: MovableClock
) -> None:
    minor = resolved_incident(in_language(responder_api, "en"), frozen_clock, severity=4)
    assert 'data-testid="regulatory-panel"' not in page(browser(responder), f"/incidents/{minor}/")


def test_prepare_edit_and_record_submission(responder: User, ref: str) -> None:
    client, path = prepared(responder, ref)
    html = page(client, path)
    assert "Initial report" in html
    assert "Checkout fails" in html  # drafted from the incident
    form = {
        "what_happened": "Checkout failed for 45 minutes.",
        "detection": "Alert at 01:00.",
        "impact": "1,200 shoppers.",
        "cause": "A bad deploy.",
        "response": "Rolled back.",
        "recovery": "Resolved 01:42.",
        "prevention": "Canary deploys.",
    }
    saved = post(client, path, form)
    assert "Saved as a new version." in saved.content.decode()
    html = page(client, path)
    assert "Version 2," in html
    assert "Canary deploys." in html
    submitted = post(client, path + "submitted/", {})
    assert "Submitted to the regulator at" in submitted.content.decode()
    # The incident's panel now links to the report and says it was submitted.
    assert "submitted 2026-" in page(client, f"/incidents/{ref}/")


def test_a_bad_edit_shows_its_error_once_and_keeps_the_input(responder: User, ref: str) -> None:
    client, path = prepared(responder, ref)
    response = client.post(path, {"what_happened": "", "cause": "Kept cause text."})
    assert response.status_code == 400
    html = response.content.decode()
    assert html.count("This field is required.") == 1
    assert "Kept cause text." in html
    assert "Version 2," not in html


def test_viewers_read_without_forms_and_may_not_post(
    responder: User, viewer: User, ref: str
) -> None:
    _client, path = prepared(responder, ref)
    reader = browser(viewer)
    html = page(reader, path)
    assert 'data-testid="regulatory-form"' not in html
    assert "Record submission now" not in html
    assert reader.post(path, {"what_happened": "x"}).status_code == 403
    assert reader.post(path + "submitted/").status_code == 403
    assert (
        reader.post(f"/incidents/{ref}/regulatory/prepare/", {"stage": "final"}).status_code == 403
    )
