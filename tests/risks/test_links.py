"""Risks linked to retrospectives and follow-ups (issue 12): one click on a follow-up's or a
retrospective's page records a risk prefilled from it and linked back; the risk's page and its
API answer list the links; viewers get no button and a 403; risks are found by the search."""

from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from kizuki.accounts.models import User
from kizuki.risks.models import Risk
from tests.conftest import Api, make_user
from tests.followups.support import resolved_incident, write
from tests.incidents.support import english
from tests.jobs import run_queued_jobs
from tests.risks.support import ok, row_counts

pytestmark = pytest.mark.usefixtures("frozen_clock")  # 2026-11-25 in Tokyo


def browser(user: User) -> Client:
    client = Client(headers={"Accept-Language": "en"})
    client.force_login(user)
    return client


@pytest.fixture
def followup(responder_api: Api, service: Any) -> dict[str, Any]:
    """A follow-up of a resolved incident on the checkout service, owned by "sora"."""
    make_user("sora", "responder")
    ref = resolved_incident(responder_api, services=["checkout"], title="Payments time out")
    return write(
        responder_api,
        ref,
        "Move card tokens to the new vault",
        owner="sora",
        description="The old vault throttles at 500 requests a second.",
    )


def started_retro(api: Api, ref: str) -> None:
    ok(api.post(f"/incidents/{ref}/retrospective", {}), 201)
    ok(
        api.patch(
            f"/incidents/{ref}/retrospective",
            {
                "sections": {
                    "root-cause": "Card tokens live in a vault that throttles.",
                    "permanent-fix": "Move the tokens; it takes a quarter.",
                },
                "stakeholder_summary": "Payments failed for twenty minutes.",
            },
        )
    )


def test_a_follow_up_records_a_linked_risk_in_one_click(
    responder: User, followup: dict[str, Any]
) -> None:
    web = browser(responder)
    response = web.post(f"/followups/{followup['id']}/risk/")
    risk = Risk.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/risks/{risk.pk}/edit/"
    assert risk.title == "Move card tokens to the new vault"
    assert risk.summary == "The old vault throttles at 500 requests a second."
    assert risk.owner == User.objects.get(username="sora")
    assert risk.status == "not_started"
    assert [s.slug for s in risk.services.all()] == ["checkout"]
    assert [i.ref for i in risk.incidents.all()] == [followup["incident"]]
    assert [f.pk for f in risk.followups.all()] == [followup["id"]]
    edit_page = web.get(response["Location"]).content.decode()
    assert "Risk recorded and linked" in edit_page

    followup_page = web.get(f"/followups/{followup['id']}/").content.decode()
    panel = followup_page.split('data-testid="linked-risks"')[1].split("</section>")[0]
    assert f'href="/risks/{risk.pk}/"' in panel
    assert "Move card tokens to the new vault" in panel

    risk_page = web.get(f"/risks/{risk.pk}/").content.decode()
    linked = risk_page.split('data-testid="risk-followups"')[1].split("</dd>")[0]
    assert f'href="/followups/{followup["id"]}/"' in linked
    assert f'href="/incidents/{followup["incident"]}/"' in risk_page


def test_a_follow_up_without_owner_gives_the_risk_to_whoever_records_it(
    responder: User, responder_api: Api
) -> None:
    ref = resolved_incident(responder_api)
    nobodys = write(responder_api, ref, "Cap the batch size")
    browser(responder).post(f"/followups/{nobodys['id']}/risk/")
    assert Risk.objects.get().owner == responder


def test_a_retrospective_records_a_linked_risk_in_one_click(
    responder: User, responder_api: Api, service: Any
) -> None:
    ref = resolved_incident(responder_api, services=["checkout"], title="Payments time out")
    started_retro(responder_api, ref)
    web = browser(responder)
    page = web.get(f"/incidents/{ref}/retrospective/").content.decode()
    assert 'data-testid="record-risk"' in page
    response = web.post(f"/incidents/{ref}/retrospective/risk/")
    risk = Risk.objects.get()
    assert response["Location"] == f"/risks/{risk.pk}/edit/"
    assert risk.title == "Payments time out"
    assert risk.summary == "Payments failed for twenty minutes."
    assert "Card tokens live in a vault that throttles." in risk.cause
    assert "Move the tokens; it takes a quarter." in risk.plan
    assert risk.owner == responder
    assert risk.status == "not_started"
    assert [s.slug for s in risk.services.all()] == ["checkout"]
    assert [r.incident.ref for r in risk.retrospectives.all()] == [ref]

    page = web.get(f"/incidents/{ref}/retrospective/").content.decode()
    panel = page.split('data-testid="linked-risks"')[1].split("</section>")[0]
    assert f'href="/risks/{risk.pk}/"' in panel
    risk_page = web.get(f"/risks/{risk.pk}/").content.decode()
    linked = risk_page.split('data-testid="risk-retrospectives"')[1].split("</dd>")[0]
    assert f'href="/incidents/{ref}/retrospective/"' in linked


def test_viewers_see_no_button_and_are_refused(
    viewer: User, responder_api: Api, followup: dict[str, Any]
) -> None:
    ref = followup["incident"]
    started_retro(responder_api, ref)
    web = browser(viewer)
    before = row_counts()
    for page in (f"/followups/{followup['id']}/", f"/incidents/{ref}/retrospective/"):
        html = web.get(page).content.decode()
        assert 'data-testid="linked-risks"' in html
        assert 'data-testid="record-risk"' not in html
    assert web.post(f"/followups/{followup['id']}/risk/").status_code == 403
    assert web.post(f"/incidents/{ref}/retrospective/risk/").status_code == 403
    assert row_counts() == before


def test_a_risk_cannot_come_from_what_does_not_exist(responder: User, responder_api: Api) -> None:
    ref = resolved_incident(responder_api)
    before = row_counts()
    web = browser(responder)
    assert web.post("/followups/999999/risk/").status_code == 404
    assert web.post(f"/incidents/{ref}/retrospective/risk/").status_code == 404  # not started
    assert web.get(f"/incidents/{ref}/retrospective/risk/").status_code == 405
    assert row_counts() == before


def test_the_api_records_risks_from_follow_ups_and_retrospectives_with_their_links(
    responder_api: Api, viewer_api: Api, followup: dict[str, Any]
) -> None:
    api = english(responder_api)
    ref = followup["incident"]
    started_retro(api, ref)
    from_followup = ok(api.post(f"/followups/{followup['id']}/risks"), 201)
    assert from_followup["status"] == "not_started"
    assert from_followup["owner"] == "sora"
    assert from_followup["incidents"] == [ref]
    assert [(link["kind"], link["ref"]) for link in from_followup["links"]] == [
        ("incident", ref),
        ("followup", f"FU-{followup['id']}"),
    ]
    from_retro = ok(api.post(f"/incidents/{ref}/retrospective/risks"), 201)
    assert from_retro["owner"] == "rei"
    shown = ok(viewer_api.get(f"/risks/{from_retro['id']}"))
    assert shown["links"] == [
        {
            "kind": "incident",
            "ref": ref,
            "title": "Payments time out",
            "url": f"/incidents/{ref}/",
        },
        {
            "kind": "retrospective",
            "ref": ref,
            "title": "Payments time out",
            "url": f"/incidents/{ref}/retrospective/",
        },
    ]
    # Then the impacts are set as for any risk.
    scored = ok(
        api.patch(f"/risks/{from_followup['id']}", {"potential_impact": 6, "likelihood": 2})
    )
    assert scored["priority"] == 12


def test_the_api_refuses_viewers_and_unknown_sources(
    viewer_api: Api, responder_api: Api, followup: dict[str, Any]
) -> None:
    before = row_counts()
    refused = viewer_api.post(f"/followups/{followup['id']}/risks")
    assert refused.status_code == 403
    assert refused.json()["detail"]
    assert responder_api.post("/followups/999999/risks").status_code == 404
    assert responder_api.post("/incidents/INC-999/retrospective/risks").status_code == 404
    no_retro = responder_api.post(f"/incidents/{followup['incident']}/retrospective/risks")
    assert no_retro.status_code == 404
    assert row_counts() == before


def test_risks_are_found_by_the_search(
    responder_api: Api, viewer_api: Api, anonymous_api: Api, service: Any
) -> None:
    api = english(responder_api)
    risk = ok(
        api.post(
            "/risks",
            {
                "title": "Replication lag grows with orders",
                "cause": "The replica applies writes in a single thread",
                "services": ["checkout"],
            },
        ),
        201,
    )
    run_queued_jobs()
    found = ok(viewer_api.get("/search", q="replication", kind="risk"))
    assert [hit["url"] for hit in found["items"]] == [risk["url"]]
    assert ok(viewer_api.get("/search", q="single thread"))["count"] == 1
    assert ok(viewer_api.get("/search", q="replication", service="checkout"))["count"] == 1
    ok(api.patch(f"/risks/{risk['id']}", {"plan": "シャーディングで書き込みを分散する"}))
    run_queued_jobs()
    assert ok(viewer_api.get("/search", q="シャーディング", kind="risk"))["count"] == 1
    assert anonymous_api.get("/search", q="replication").status_code == 401


def test_the_search_page_shows_a_risk(viewer: User, responder_api: Api) -> None:
    risk = ok(responder_api.post("/risks", {"title": "Certificate renewal is manual"}), 201)
    run_queued_jobs()
    page = browser(viewer).get("/search/", {"q": "certificate"}).content.decode()
    hit = page.split('data-testid="search-hit"')[1].split("</article>")[0]
    assert f'href="{risk["url"]}"' in hit
    assert '<span class="tag kind risk">Risk</span>' in hit


def test_the_rebuild_indexes_every_risk(responder_api: Api, viewer_api: Api) -> None:
    ok(responder_api.post("/risks", {"title": "Disk fills up on the log host"}), 201)
    call_command("search_index", "rebuild")
    assert ok(viewer_api.get("/search", q="disk", kind="risk"))["count"] == 1
