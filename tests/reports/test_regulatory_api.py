"""Regulator-ready reports through the API: each stage drafted from the incident (milestones,
impact, timeline notes; cause and prevention from the retrospective after the first report),
edits kept as versions, the submission time recorded, and refusals that change nothing."""

from typing import Any

import pytest

from tests.conftest import Api, MovableClock
from tests.retros.domain_support import (
    BACKDATED_NOTE,
    error,
    in_language,
    ok,
    resolved_incident,
    start,
)

pytestmark = pytest.mark.django_db

ROOT_CAUSE = "Connection pool exhausted after deploy 4521."
PREVENTION = "Alert on pool saturation above 80%."


@pytest.fixture
def english(responder_api: Api) -> Api:
    return in_language(responder_api, "en")


@pytest.fixture
def ref(english: Api, frozen_clock: MovableClock) -> str:
    return resolved_incident(english, frozen_clock)


def prepare(api: Api, ref: str, stage: str) -> dict[str, Any]:
    report: dict[str, Any] = ok(
        api.post(f"/incidents/{ref}/regulatory-reports", {"stage": stage}), 201
    )
    return report


def test_the_initial_report_is_drafted_from_the_incident(english: Api, ref: str) -> None:
    report = prepare(english, ref, "initial")
    assert report["stage"] == "initial"
    assert report["version"] == 1
    assert report["submitted_at"] is None
    sections = report["sections"]
    assert list(sections) == [
        "what_happened", "detection", "impact", "cause", "response", "recovery", "prevention"
    ]  # fmt: skip
    assert "Checkout fails" in sections["what_happened"]
    assert "SEV2" in sections["what_happened"]
    assert "Reported: 2026-" in sections["detection"]
    assert "About 1,200 shoppers could not pay" in sections["impact"]
    assert "Checkout payment step" in sections["impact"]
    assert "Duration: 45 minutes" in sections["impact"]
    assert "Duplicate refund requests" in sections["impact"]
    assert BACKDATED_NOTE in sections["response"]
    assert "Resolved: 2026-" in sections["recovery"]
    assert sections["cause"] == "Under investigation."


def test_interim_and_final_take_cause_and_prevention_from_the_retrospective(
    english: Api, ref: str
) -> None:
    start(english, ref, "incident-review")
    ok(
        english.patch(
            f"/incidents/{ref}/retrospective",
            {"sections": {"direct-cause": ROOT_CAUSE, "prevention": PREVENTION}},
        )
    )
    for stage in ("interim", "final"):
        sections = prepare(english, ref, stage)["sections"]
        assert ROOT_CAUSE in sections["cause"], stage
        assert PREVENTION in sections["prevention"], stage
    listed = ok(english.get(f"/incidents/{ref}/regulatory-reports"))
    assert [r["stage"] for r in listed] == ["interim", "final"]


def test_editing_keeps_every_version_and_submission_is_recorded(
    english: Api, ref: str, frozen_clock: MovableClock
) -> None:
    report = prepare(english, ref, "initial")
    path = f"/regulatory-reports/{report['id']}"
    edited = ok(english.patch(path, {"sections": {"cause": "A bad deploy."}}))
    assert edited["version"] == 2
    assert edited["sections"]["cause"] == "A bad deploy."
    assert edited["sections"]["what_happened"] == report["sections"]["what_happened"]
    assert [v["number"] for v in edited["versions"]] == [2, 1]
    frozen_clock.advance(minutes=30)
    submitted = ok(english.post(path + "/submitted"))
    assert submitted["submitted_at"] is not None
    assert ok(english.get(path))["submitted_at"] == submitted["submitted_at"]
    # Preparing the stage again drafts it afresh as the next version.
    assert prepare(english, ref, "initial")["version"] == 3


def test_bad_input_is_refused_and_changes_nothing(english: Api, ref: str) -> None:
    error(english.post(f"/incidents/{ref}/regulatory-reports", {"stage": "weekly"}), 400, "weekly")
    error(english.post(f"/incidents/{ref}/regulatory-reports", {}), 422)
    assert ok(english.get(f"/incidents/{ref}/regulatory-reports")) == []
    report = prepare(english, ref, "initial")
    path = f"/regulatory-reports/{report['id']}"
    error(english.patch(path, {"sections": {"summary": "x"}}), 400, "summary")
    assert ok(english.get(path))["version"] == 1
    error(english.get("/regulatory-reports/99999"), 404)
    error(english.get("/regulatory-reports/99999999999"), 404)
    error(english.post("/incidents/INC-999/regulatory-reports", {"stage": "initial"}), 404)


def test_viewers_read_but_do_not_write(english: Api, viewer_api: Api, ref: str) -> None:
    report = prepare(english, ref, "initial")
    path = f"/regulatory-reports/{report['id']}"
    viewer = in_language(viewer_api, "en")
    assert ok(viewer.get(path))["id"] == report["id"]
    assert len(ok(viewer.get(f"/incidents/{ref}/regulatory-reports"))) == 1
    error(viewer.post(f"/incidents/{ref}/regulatory-reports", {"stage": "final"}), 403)
    error(viewer.patch(path, {"sections": {"cause": "x"}}), 403)
    error(viewer.post(path + "/submitted"), 403)
    after = ok(english.get(path))
    assert after["version"] == 1
    assert after["submitted_at"] is None


def test_strangers_are_refused(anonymous_api: Api, english: Api, ref: str) -> None:
    report = prepare(english, ref, "initial")
    assert anonymous_api.get(f"/regulatory-reports/{report['id']}").status_code == 401
