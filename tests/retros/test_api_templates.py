"""Templates are data: admins add, edit and retire them; others only read them."""

from typing import Any

import pytest

from kizuki.core.models import AuditEntry
from tests.conftest import Api, MovableClock
from tests.retros.domain_support import error, in_language, ok, resolved_incident, section, start

pytestmark = pytest.mark.django_db

LEARNING_REVIEW: dict[str, Any] = {
    "key": "learning-review",
    "name_en": "Learning review",
    "name_ja": "学びのレビュー",
    "description_en": "Short format for small incidents.",
    "sections": [
        {
            "key": "what",
            "title_en": "What happened",
            "title_ja": "何が起きたか",
            "guidance_en": "Two or three sentences.",
            "guidance_ja": "二、三文で書きます。",
            "prefill": ["overview", "milestones"],
            "purpose": "overview",
        },
        {
            "key": "learned",
            "title_en": "What we learned",
            "title_ja": "学んだこと",
            "purpose": "reflection",
            "asks_evidence": True,
        },
    ],
}


def test_an_admin_adds_a_template_that_documents_then_use(
    admin_api: Api, responder_api: Api, frozen_clock: MovableClock
) -> None:
    added = ok(in_language(admin_api, "ja").post("/retrospective-templates", LEARNING_REVIEW), 201)
    assert (added["key"], added["name"], added["built_in"], added["position"]) == (
        "learning-review",
        "学びのレビュー",
        False,
        4,
    )
    assert [s["title"] for s in added["sections"]] == ["何が起きたか", "学んだこと"]
    assert AuditEntry.objects.filter(action="retro_template.create").count() == 1

    ref = resolved_incident(responder_api, frozen_clock)
    retro = start(in_language(responder_api, "en"), ref, "learning-review")
    what = section(retro, "what")["body"]
    assert what.startswith(f"**{ref} Checkout fails**")
    assert "- Time to resolve: 42 min" in what
    assert section(retro, "learned") | {"body": ""} == section(retro, "learned")
    assert section(retro, "learned")["asks_evidence"] is True


def test_an_admin_edits_and_retires_a_template(
    admin_api: Api, responder_api: Api, viewer_api: Api, frozen_clock: MovableClock
) -> None:
    ok(admin_api.post("/retrospective-templates", LEARNING_REVIEW), 201)
    ref = resolved_incident(responder_api, frozen_clock)
    start(responder_api, ref, "learning-review")

    edited = ok(
        in_language(admin_api, "en").patch(
            "/retrospective-templates/learning-review",
            {
                "name_en": "Learning review (short)",
                "sections": [{"key": "lesson", "title_en": "Lesson", "title_ja": "教訓"}],
            },
        )
    )
    assert edited["name"] == "Learning review (short)"
    assert [s["key"] for s in edited["sections"]] == ["lesson"]
    # The document written from it keeps its own sections.
    kept = ok(responder_api.get(f"/incidents/{ref}/retrospective"))
    assert [s["key"] for s in kept["sections"]] == ["what", "learned"]

    retired = ok(admin_api.patch("/retrospective-templates/learning-review", {"retired": True}))
    assert retired["retired"] is True
    listed = [t["key"] for t in ok(viewer_api.get("/retrospective-templates"))]
    assert "learning-review" not in listed
    everything = ok(viewer_api.get("/retrospective-templates", retired="true"))
    assert "learning-review" in [t["key"] for t in everything]
    other = resolved_incident(responder_api, frozen_clock)
    error(
        in_language(responder_api, "en").post(
            f"/incidents/{other}/retrospective", {"template": "learning-review"}
        ),
        400,
        "retired",
    )
    # Built-in templates can be retired too, and restored.
    ok(admin_api.patch("/retrospective-templates/postmortem", {"retired": True}))
    restored = ok(admin_api.patch("/retrospective-templates/postmortem", {"retired": False}))
    assert restored["retired"] is False


def test_only_admins_change_templates(
    responder_api: Api, viewer_api: Api, anonymous_api: Api
) -> None:
    error(responder_api.post("/retrospective-templates", LEARNING_REVIEW), 403)
    error(responder_api.patch("/retrospective-templates/postmortem", {"retired": True}), 403)
    assert anonymous_api.get("/retrospective-templates").status_code == 401
    assert ok(viewer_api.get("/retrospective-templates/postmortem"))["key"] == "postmortem"


@pytest.mark.parametrize(
    ("change", "status", "fragment"),
    [
        ({"key": "Bad Key"}, 422, ""),
        ({"key": "incident-review"}, 409, "incident-review"),
        ({"name_en": "  "}, 400, "name_en"),
        ({"sections": []}, 400, "section"),
        (
            {"sections": [{"key": "a", "title_en": "A", "title_ja": "A", "prefill": ["x"]}]},
            400,
            "x",
        ),
        (
            {"sections": [{"key": "a", "title_en": "A", "title_ja": "A", "purpose": "fun"}]},
            400,
            "fun",
        ),
        (
            {
                "sections": [
                    {"key": "a", "title_en": "A", "title_ja": "A"},
                    {"key": "a", "title_en": "B", "title_ja": "B"},
                ]
            },
            400,
            "key",
        ),
        ({"sections": [{"key": "a", "title_en": "", "title_ja": "A"}]}, 400, "title_en"),
        ({"name_ja": "x" * 101}, 422, ""),
    ],
)
def test_bad_templates_are_refused_with_a_reason(
    admin_api: Api, change: dict[str, Any], status: int, fragment: str
) -> None:
    response = in_language(admin_api, "en").post(
        "/retrospective-templates", LEARNING_REVIEW | change
    )
    if status == 422:
        assert response.status_code == 422, response.json()
    else:
        error(response, status, fragment)
    error(admin_api.patch("/retrospective-templates/nope", {"retired": True}), 404)
    error(admin_api.patch("/retrospective-templates/postmortem", {"retired": None}), 400)
