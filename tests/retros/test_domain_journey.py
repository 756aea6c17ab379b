"""The headline journey, through the API as a team would walk it: an alert declares a SEV2,
the team responds and resolves it, the retrospective becomes required with a due date, is
started pre-filled, written, reviewed and published, and only then may the incident close."""

from typing import Any

import pytest

from kizuki.accounts.models import User
from kizuki.catalog.models import Service
from tests.conftest import Api, MovableClock
from tests.incidents.support import move
from tests.retros.domain_support import (
    alerted_incident,
    error,
    give_history,
    in_language,
    ok,
    requirement,
    section,
    start,
)

pytestmark = pytest.mark.django_db


def test_from_alert_to_published_retrospective(
    admin: User,
    admin_api: Api,
    responder_api: Api,
    viewer_api: Api,
    service: Service,
    frozen_clock: MovableClock,
    settings: Any,
) -> None:
    settings.KIZUKI_RETRO_BLOCKS_CLOSE = True
    api = in_language(responder_api, "en")
    ref = alerted_incident(admin_api, service, frozen_clock)
    give_history(api, ref, frozen_clock)  # resolved at 01:35 UTC

    needed = requirement(viewer_api, ref)
    assert (needed["required"], needed["due_at"]) == (True, "2026-12-09T01:35:00Z")
    error(move(api, ref, "closed"), 409, "retrospective")

    retro = start(api, ref, "postmortem")
    assert "Paged rei by E-mail." in section(retro, "flow")["body"]
    doc = f"/incidents/{ref}/retrospective"
    ok(
        api.patch(
            doc,
            {
                "sections": {
                    "background": "Checkout calls the payment gateway with retries.",
                    "cause": "A config flag turned retries off ([deploy log](https://ci.example.test/4521)).",
                    "prevention": section(retro, "prevention")["body"] + "Test the flag in CI.",
                }
            },
        )
    )
    ok(api.post(doc + "/transitions", {"to": "in_review"}))
    ok(api.post(doc + "/reviews", {"reviewers": ["aki"]}), 201)
    ok(admin_api.post(doc + "/review", {"state": "approved", "comment": "Clear and blameless."}))
    published = ok(api.post(doc + "/transitions", {"to": "published"}))
    assert published["status"] == "published"
    assert published["version"] == 2
    assert [v["number"] for v in ok(viewer_api.get(doc + "/versions"))] == [2, 1]

    assert ok(move(api, ref, "closed"))["status"] == "closed"
    assert ok(viewer_api.get("/retrospectives", status="published"))[0]["incident"] == ref
