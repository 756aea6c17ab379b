"""Impact scoring on incidents: score = scope * effect, the level thresholds, the severity a
score suggests (Severity.min_impact_level), through the API and the web forms."""

import re
from typing import Any

import pytest
from django.test import Client

from kizuki.accounts.models import User
from kizuki.incidents import scoring
from kizuki.incidents.models import ImpactScale, Incident, Severity
from tests.conftest import Api
from tests.incidents.support import english, move, report

# --- pure -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("score", "level"),
    [(15, 10), (10, 10), (9, 6), (6, 6), (5, 3), (3, 3), (2, 1), (1, 1), (0, 0), (None, None)],
)
def test_a_level_is_the_highest_threshold_the_score_reaches(
    score: int | None, level: int | None
) -> None:
    assert scoring.impact_level(score) == level


def test_the_score_is_scope_times_effect_and_unknown_without_both() -> None:
    assert scoring.incident_score(3, 3) == 9
    assert scoring.incident_score(2, 5) == 10
    assert scoring.score_of(1, None) is None
    assert scoring.score_of(None, 5) is None
    with pytest.raises(ValueError, match="scope must be one of"):
        scoring.incident_score(4, 1)


SEEDED = [(1, 10), (2, 6), (3, 3), (4, 0), (5, None)]


@pytest.mark.parametrize(
    ("level", "severity"), [(10, 1), (6, 2), (3, 3), (1, 4), (0, 4), (None, None)]
)
def test_the_gravest_severity_whose_threshold_is_reached_is_suggested(
    level: int | None, severity: int | None
) -> None:
    assert scoring.suggested_severity(level, SEEDED) == severity


def test_a_mapping_without_low_thresholds_suggests_nothing_for_small_incidents() -> None:
    assert scoring.suggested_severity(1, [(1, 10), (2, 6)]) is None
    assert scoring.suggested_severity(6, [(2, 6), (1, 6)]) == 1


# --- the seeded configuration -----------------------------------------------------------------


@pytest.mark.django_db
def test_the_scales_and_the_mapping_are_seeded() -> None:
    assert [(s.axis, s.value) for s in ImpactScale.objects.all()] == [
        ("effect", 1),
        ("effect", 3),
        ("effect", 5),
        ("scope", 1),
        ("scope", 2),
        ("scope", 3),
    ]
    assert ImpactScale.objects.get(axis="scope", value=3).label_en == "Half of the sites or more"
    assert list(Severity.objects.values_list("level", "min_impact_level")) == SEEDED


# --- API --------------------------------------------------------------------------------------


@pytest.fixture
def api(responder_api: Api) -> Api:
    return english(responder_api)


def test_a_report_keeps_its_score_and_declaring_takes_the_suggested_severity(api: Api) -> None:
    reported = report(api, impact_scope=3, impact_effect=3)
    assert (reported["impact_scope"], reported["impact_effect"]) == (3, 3)
    assert (reported["impact_score"], reported["impact_level"]) == (9, 6)
    assert (reported["status"], reported["severity"]) == ("reported", None)

    declared = move(api, reported["number"], "declared")

    assert declared.status_code == 200, declared.json()
    assert declared.json()["severity"] == 2
    assert api.get(f"/incidents/{reported['number']}").json()["severity_label"] == "SEV2 Major"


def test_a_chosen_severity_wins_over_the_suggestion(api: Api) -> None:
    ref = report(api, impact_scope=3, impact_effect=5)["number"]
    assert move(api, ref, "declared", severity=3).json()["severity"] == 3


def test_declaring_without_a_score_or_severity_is_still_refused(api: Api) -> None:
    ref = report(api, impact_scope=2)["number"]
    response = move(api, ref, "declared")
    assert response.status_code == 400
    assert "needs a severity" in response.json()["detail"]


def test_an_edit_changes_the_score_and_the_timeline_says_so(api: Api) -> None:
    ref = report(api)["number"]
    unknown = api.get(f"/incidents/{ref}").json()
    assert (unknown["impact_score"], unknown["impact_level"]) == (None, None)

    edited = api.patch(f"/incidents/{ref}", {"impact_scope": 1, "impact_effect": 5}).json()

    assert (edited["impact_score"], edited["impact_level"]) == (5, 3)
    assert api.get(f"/incidents/{ref}/timeline").json()[-1]["text"] == (
        "Details edited: impact scope, impact effect."
    )
    cleared = api.patch(f"/incidents/{ref}", {"impact_effect": None}).json()
    assert (cleared["impact_scope"], cleared["impact_score"]) == (1, None)


@pytest.mark.parametrize("body", [{"impact_scope": 4}, {"impact_effect": 2}])
def test_a_value_off_the_scale_is_refused_and_changes_nothing(
    api: Api, body: dict[str, Any]
) -> None:
    assert api.post("/incidents", {"title": "Checkout fails", **body}).status_code == 422
    ref = report(api)["number"]
    assert api.patch(f"/incidents/{ref}", body).status_code == 422
    assert Incident.objects.get().impact_scope is None


def test_admins_change_the_mapping_through_the_severity_api(admin_api: Api, api: Api) -> None:
    assert admin_api.patch("/severities/3", {"min_impact_level": 6}).status_code == 200
    assert admin_api.patch("/severities/3", {"min_impact_level": 7}).status_code == 422
    levels = {s["level"]: s["min_impact_level"] for s in api.get("/severities").json()}
    assert levels[3] == 6
    # 6 reaches SEV2 (6) and SEV3 (now 6 too): the gravest wins.
    ref = report(api, impact_scope=2, impact_effect=3)["number"]
    assert move(api, ref, "declared").json()["severity"] == 2
    # 3 no longer reaches SEV3: SEV4 (0) is suggested.
    ref = report(api, impact_scope=1, impact_effect=3)["number"]
    assert move(api, ref, "declared").json()["severity"] == 4


# --- web --------------------------------------------------------------------------------------


def browser(user: User, language: str = "en") -> Client:
    client = Client(headers={"Accept-Language": language})
    client.force_login(user)
    return client


def text_of(html: str, testid: str) -> str:
    found = re.search(rf'data-testid="{testid}"[^>]*>(.*?)</', html, re.S)
    assert found, f"{testid} is not on the page"
    return re.sub(r"\s+", " ", found.group(1)).strip()


@pytest.mark.django_db
def test_the_report_form_offers_the_scales_and_keeps_the_score(responder: User) -> None:
    client = browser(responder)
    page = client.get("/report/").content.decode()
    assert "3: Half of the sites or more" in page
    assert "5: Core work impossible" in page
    assert 'data-template="Suggested: {severity} (score {score})"' in page
    assert 'data-thresholds="1:10 2:6 3:3 4:0 "' in page

    response = client.post(
        "/report/", {"title": "Orders stuck", "impact_scope": "2", "impact_effect": "5"}
    )

    assert response.status_code == 302
    incident = Incident.objects.get()
    assert (incident.impact_score, incident.impact_level, incident.severity) == (10, 10, None)


@pytest.mark.django_db
def test_the_report_form_refuses_a_value_off_the_scale(responder: User) -> None:
    response = browser(responder).post("/report/", {"title": "Orders stuck", "impact_scope": "4"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Incident.objects.exists()


@pytest.mark.django_db
def test_the_declare_step_suggests_and_declaring_without_a_severity_uses_it(
    responder: User, responder_api: Api
) -> None:
    ref = report(responder_api, impact_scope=3, impact_effect=3)["number"]
    client = browser(responder)
    page = client.get(f"/incidents/{ref}/").content.decode()
    assert text_of(page, "suggested-severity") == "Suggested: SEV2 (score 9)"
    assert text_of(page, "impact-score") == "9 (scope × effect), impact level 6"

    # No JavaScript: the severity is left empty and the score is changed on the way.
    response = client.post(
        f"/incidents/{ref}/transition/",
        {
            "to": "declared",
            "severity": "",
            "score_asked": "1",
            "impact_scope": "3",
            "impact_effect": "5",
        },
        follow=True,
    )

    assert response.status_code == 200
    incident = Incident.objects.get()
    assert (incident.status, incident.severity and incident.severity.level) == ("declared", 1)
    assert incident.impact_score == 15
    page = response.content.decode()
    assert text_of(page, "impact-score") == "15 (scope × effect), impact level 10"
    assert "3: Half of the sites or more" in text_of(page, "impact-scope")
    assert "Details edited: impact effect." in page


@pytest.mark.django_db
def test_a_move_other_than_declaring_leaves_the_score_alone(
    responder: User, responder_api: Api
) -> None:
    ref = report(responder_api, impact_scope=3, impact_effect=3)["number"]
    browser(responder).post(
        f"/incidents/{ref}/transition/",
        {"to": "acknowledged", "score_asked": "1", "impact_scope": "", "impact_effect": ""},
    )
    incident = Incident.objects.get()
    assert (incident.status, incident.impact_score) == ("acknowledged", 9)


@pytest.mark.django_db
def test_the_impact_card_form_changes_the_score(responder: User, responder_api: Api) -> None:
    ref = report(responder_api)["number"]
    client = browser(responder, "ja")
    assert "id_impact_impact_scope" in client.get(f"/incidents/{ref}/").content.decode()

    client.post(f"/incidents/{ref}/impact/", {"impact_scope": "1", "impact_effect": "3"})

    incident = Incident.objects.get()
    assert (incident.impact_score, incident.impact_level) == (3, 3)
    page = client.get(f"/incidents/{ref}/").content.decode()
    assert "1: 数拠点" in text_of(page, "impact-scope")
