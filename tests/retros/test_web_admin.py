"""Admins add, edit, retire and restore templates, and set the policy per severity and the
default template per team, in the web pages."""

from typing import Any

import pytest

from kizuki.accounts import actions as accounts
from kizuki.accounts.models import User
from tests.conftest import Api
from tests.retros.domain_support import in_language, ok
from tests.retros.web_support import browser, messages_on, page, post

pytestmark = pytest.mark.django_db

SECTION = {
    "key": "what",
    "title_ja": "何が起きたか",
    "title_en": "What happened",
    "guidance_ja": "事実だけを書きます。",
    "guidance_en": "Facts only.",
    "prefill": ["timeline"],
    "purpose": "timeline",
}


def formset(*sections: dict[str, Any], initial: int = 0) -> dict[str, Any]:
    data: dict[str, Any] = {
        "sections-TOTAL_FORMS": str(len(sections)),
        "sections-INITIAL_FORMS": str(initial),
        "sections-MIN_NUM_FORMS": "0",
        "sections-MAX_NUM_FORMS": "1000",
    }
    for number, section in enumerate(sections):
        data |= {f"sections-{number}-{name}": value for name, value in section.items()}
    return data


def new_template(**extra: Any) -> dict[str, Any]:
    return {
        "key": "drill-review",
        "name_ja": "訓練の振り返り",
        "name_en": "Drill review",
        "position": "9",
        **formset(
            SECTION,
            {
                **SECTION,
                "key": "learned",
                "title_en": "What we learnt",
                "title_ja": "学んだこと",
                "purpose": "reflection",
                "prefill": [],
            },
        ),
        **extra,
    }


def templates(api: Api) -> dict[str, dict[str, Any]]:
    found = ok(in_language(api, "en").get("/retrospective-templates?retired=true"))
    return {template["key"]: template for template in found}


def test_only_admins_see_the_settings(viewer: User, responder: User) -> None:
    for person in (viewer, responder):
        assert browser(person).get("/retrospectives/settings/").status_code == 403
        assert browser(person).get("/retrospectives/templates/new/").status_code == 403
        assert browser(person).post("/retrospectives/policy/2/", {}).status_code == 403


def test_an_admin_adds_a_template_with_sections(admin: User, viewer_api: Api) -> None:
    client = browser(admin)
    assert "Incident review" in page(client, "/retrospectives/settings/")
    response = post(client, "/retrospectives/templates/new/", new_template())
    assert "Template added." in messages_on(response)
    added = templates(viewer_api)["drill-review"]
    assert added["name"] == "Drill review"
    assert [s["key"] for s in added["sections"]] == ["what", "learned"]


def test_mistakes_are_shown_beside_the_form(admin: User, viewer_api: Api) -> None:
    client = browser(admin)
    twice = new_template(**formset(SECTION, SECTION))
    html = client.post("/retrospectives/templates/new/", twice).content.decode()
    assert "Each section needs its own key." in html
    none = new_template(**formset())
    html = client.post("/retrospectives/templates/new/", none).content.decode()
    assert "A template needs at least one section." in html
    taken = new_template(key="postmortem")
    html = client.post("/retrospectives/templates/new/", taken).content.decode()
    assert "exists already" in html
    assert "drill-review" not in templates(viewer_api)


def test_an_admin_edits_a_built_in_template(admin: User, viewer_api: Api) -> None:
    client = browser(admin)
    html = page(client, "/retrospectives/templates/postmortem/")
    assert "Postmortem with evidence" in html
    data = {
        "name_ja": "ポストモーテム",
        "name_en": "Postmortem (ours)",
        "position": "2",
        **formset(SECTION, initial=0),
    }
    response = post(client, "/retrospectives/templates/postmortem/", data)
    assert "Template saved." in messages_on(response)
    changed = templates(viewer_api)["postmortem"]
    assert changed["name"] == "Postmortem (ours)"
    assert [s["key"] for s in changed["sections"]] == ["what"]


def test_retiring_and_restoring(admin: User, viewer_api: Api) -> None:
    client = browser(admin)
    response = post(
        client, "/retrospectives/templates/response-record/retire/", {"retired": "true"}
    )
    assert any("Template retired" in message for message in messages_on(response))
    assert templates(viewer_api)["response-record"]["retired"] is True
    response = post(
        client, "/retrospectives/templates/response-record/retire/", {"retired": "false"}
    )
    assert "Template back in use." in messages_on(response)
    assert templates(viewer_api)["response-record"]["retired"] is False


def test_the_policy_per_severity_and_the_team_default(admin: User, viewer_api: Api) -> None:
    client = browser(admin)
    response = post(
        client,
        "/retrospectives/policy/3/",
        {"sev3-required": "on", "sev3-due_days": "7", "sev3-template": "postmortem"},
    )
    assert "Policy for SEV3 saved." in messages_on(response)
    policy = ok(viewer_api.get("/retrospective-policy"))
    sev3 = next(row for row in policy["severities"] if row["level"] == 3)
    assert sev3["required"] is True
    assert sev3["due_days"] == 7
    assert sev3["template"] == "postmortem"
    bad = post(client, "/retrospectives/policy/3/", {"sev3-due_days": "0"})
    assert any("Due in days" in message for message in messages_on(bad))
    accounts.create_team("payments", "Payments")
    response = post(
        client,
        "/retrospectives/team-template/",
        {"team": "payments", "template": "response-record"},
    )
    assert "Default template for Payments saved." in messages_on(response)
    assert "Payments: Response record" in response.content.decode()
