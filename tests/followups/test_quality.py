"""The quality check: the corpus classified exactly, the issue's examples flagged (or not) in
the writer's language, through the check endpoint and on saved follow-ups; admins' own rules
applied after the built-in ones; nothing refused because of a finding."""

from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from kizuki.followups.quality import check_text
from tests.conftest import Api
from tests.followups.quality_corpus import BAD_EN, BAD_JA, CORPUS, GOOD_EN, GOOD_JA, Example
from tests.followups.support import codes, english, ok, resolved_incident, write
from tests.incidents.support import assert_error


def japanese(api: Api) -> Api:
    return Api(Client(headers={"Accept-Language": "ja"}), api.token, api.user)


def test_the_corpus_is_big_enough() -> None:
    for examples in (GOOD_EN, BAD_EN, GOOD_JA, BAD_JA):
        assert len(examples) >= 40
    assert (
        {e.code for e in BAD_EN}
        == {e.code for e in BAD_JA}
        == {
            "vague_vigilance",
            "silencing",
            "punitive",
            "over_heavy",
        }
    )


@pytest.mark.parametrize("example", CORPUS, ids=lambda e: f"{e.language}:{e.title[:40]}")
def test_every_corpus_example_is_classified_exactly(example: Example) -> None:
    found = [finding.code for finding in check_text(example.title, example.description)]
    assert found == ([example.code] if example.code else [])


@pytest.mark.parametrize(
    ("title", "code"),
    [
        ("今後は注意して作業する", "vague_vigilance"),
        ("Be more careful when deploying", "vague_vigilance"),
        ("Add a CI check that rejects migrations without EXPLAIN output", None),
        ("ＣＩでマイグレーションのＥＸＰＬＡＩＮを確認する", None),  # full width: a mechanism
    ],
)
def test_the_issues_examples_through_the_check_endpoint(
    viewer_api: Api, title: str, code: str | None
) -> None:
    answer = ok(english(viewer_api).post("/followups/check", {"title": title, "description": ""}))
    assert codes(answer) == ([code] if code else [])
    if code:
        finding = answer["quality"][0]
        assert finding["level"] == "problem"
        assert "checklist" in finding["message"]  # how to rewrite it


def test_findings_speak_the_writers_language(viewer_api: Api) -> None:
    body = {"title": "今後は注意して作業する"}
    [ja] = ok(japanese(viewer_api).post("/followups/check", body))["quality"]
    [en] = ok(english(viewer_api).post("/followups/check", body))["quality"]
    assert "チェックリスト" in ja["message"]
    assert "仕組み" in ja["message"]
    assert "checklist" in en["message"]
    with translation.override("ja"):
        assert "警告" in check_text("Rewrite the payment service in Go")[0].message


def test_the_check_looks_at_owner_and_due_date_only_when_sent(
    responder_api: Api,
) -> None:
    api = english(responder_api)
    ref = resolved_incident(api, severity=1)
    body: dict[str, Any] = {"title": "Add an alert on queue depth", "incident": ref}
    assert codes(ok(api.post("/followups/check", body))) == []
    answer = ok(api.post("/followups/check", {**body, "owner": None, "due_date": "2027-06-01"}))
    assert codes(answer) == ["no_owner", "due_past_policy"]
    assert "SEV1" in answer["quality"][1]["message"]
    assert_error(
        api.post("/followups/check", {"title": "x", "incident": "INC-999"}), 404, "not_found"
    )


def test_a_flagged_follow_up_is_saved_with_its_findings(responder_api: Api) -> None:
    api = english(responder_api)
    ref = resolved_incident(api)
    followup = write(api, ref, "Be more careful when deploying", owner="rei")
    assert codes(followup) == ["vague_vigilance"]
    again = ok(api.get(f"/followups/{followup['id']}"))
    assert again["quality"] == followup["quality"]
    fixed = ok(
        api.patch(
            f"/followups/{followup['id']}",
            {"title": "Add the smoke test to the deploy pipeline", "description": ""},
        )
    )
    assert fixed["quality"] == []


def test_admins_add_rules_applied_after_the_built_in_ones(
    admin_api: Api, responder_api: Api, viewer_api: Api
) -> None:
    admin = english(admin_api)
    rule = {
        "code": "manual-hotfix",
        "pattern": r"hotfix (directly|by hand)|手動でホットフィックス",
        "language": "",
        "message_en": "Hand-made hotfixes skip review: ship it through the pipeline.",
        "message_ja": "手作業のホットフィックスはレビューを通りません。"
        "パイプラインで出してください。",
    }
    created = ok(admin.post("/followup-quality-rules", rule), 201)
    text = {"title": "Be careful and hotfix directly on the server"}
    answer = ok(english(viewer_api).post("/followups/check", text))
    assert codes(answer) == ["vague_vigilance", "manual-hotfix"]
    assert answer["quality"][1]["message"] == rule["message_en"]
    assert (
        ok(japanese(viewer_api).post("/followups/check", text))["quality"][1]["message"]
        == (rule["message_ja"])
    )
    ok(admin.patch(f"/followup-quality-rules/{created['id']}", {"enabled": False}))
    assert codes(ok(english(viewer_api).post("/followups/check", text))) == ["vague_vigilance"]
    assert_error(
        admin.post("/followup-quality-rules", {**rule, "pattern": "(unclosed"}),
        400,
        "invalid",
        "regular",
    )
    assert_error(
        admin.post("/followup-quality-rules", {**rule, "code": "silencing"}), 400, "invalid"
    )
    assert english(responder_api).post("/followup-quality-rules", rule).status_code == 403
    assert english(viewer_api).get("/followup-quality-rules").status_code == 403
    assert [r["code"] for r in ok(admin.get("/followup-quality-rules"))] == ["manual-hotfix"]
    assert admin.delete(f"/followup-quality-rules/{created['id']}").status_code == 204
    assert ok(admin.get("/followup-quality-rules")) == []


def test_an_admin_rule_for_one_language_skips_the_other(admin_api: Api, viewer_api: Api) -> None:
    rule = {
        "code": "yoroshiku",
        "pattern": "よろしく|as appropriate",
        "language": "ja",
        "message_en": "Say what exactly.",
        "message_ja": "何をするのか具体的に書いてください。",
    }
    ok(english(admin_api).post("/followup-quality-rules", rule), 201)
    api = english(viewer_api)
    assert codes(ok(api.post("/followups/check", {"title": "いい感じによろしく対応"}))) == [
        "yoroshiku"
    ]
    assert codes(ok(api.post("/followups/check", {"title": "Handle it as appropriate"}))) == []
