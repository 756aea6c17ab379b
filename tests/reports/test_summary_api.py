"""GET /api/v1/reports/summary: the numbers of a known history, computed again here by hand,
its CSV, and bad input refused with a 400 that names the problem."""

import csv
import io
import statistics
from typing import Any

import pytest

from tests.conftest import Api, MovableClock
from tests.incidents.support import english
from tests.reports.history import PERIOD, TTA, TTR, build
from tests.retros.domain_support import ok

pytestmark = pytest.mark.django_db


def summary(api: Api, **params: str) -> dict[str, Any]:
    body: dict[str, Any] = ok(api.get("/reports/summary", **params))
    return body


@pytest.fixture
def history(responder_api: Api, frozen_clock: MovableClock) -> None:
    build(responder_api, frozen_clock)


def test_the_summary_counts_and_times_leave_drills_and_false_alarms_out(
    history: None, viewer_api: Api
) -> None:
    body = summary(viewer_api, **{"from": PERIOD[0], "to": PERIOD[1]})
    assert body["incidents"] == 3
    assert (body["drills"], body["false_alarms"]) == (1, 1)
    assert body["mtta_seconds"] == pytest.approx(statistics.fmean(TTA.values()))
    assert body["mttr_seconds"] == pytest.approx(statistics.fmean(TTR.values()))
    assert body["time_to_acknowledge"]["median"] == statistics.median(TTA.values())
    assert body["time_to_acknowledge"]["p90"] == max(TTA.values())  # nearest rank of 3
    assert body["time_to_assign"]["count"] == 1
    assert body["time_to_assign"]["mean"] == 10 * 60
    assert body["time_to_mitigate"]["mean"] == pytest.approx((30 * 60 + 3 * 3600) / 2)


def test_the_summary_breaks_down_by_team_and_severity(history: None, viewer_api: Api) -> None:
    body = summary(viewer_api, **{"from": PERIOD[0], "to": PERIOD[1]})
    teams = {group["label"]: group for group in body["by_team"]}
    assert {name: group["incidents"] for name, group in teams.items()} == {
        "Payments": 2,
        "Search": 1,
    }
    assert teams["Payments"]["mttr_seconds"] == pytest.approx(statistics.fmean(TTR.values()))
    assert teams["Search"]["mtta_seconds"] == TTA["C"]
    assert teams["Search"]["mttr_seconds"] is None  # still open
    severities = {group["label"]: group["incidents"] for group in body["by_severity"]}
    assert severities == {"SEV2": 2, "SEV3": 1}


def test_retrospective_and_follow_up_health(history: None, viewer_api: Api) -> None:
    body = summary(viewer_api, **{"from": PERIOD[0], "to": PERIOD[1]})
    assert body["retrospectives"] == {
        "required": 2,
        "held": 1,
        "late": 1,
        "by_team": [{"team": "Payments", "required": 2, "held": 1, "late": 1}],
    }
    followups = body["followups"]
    assert (followups["done"], followups["open"], followups["overdue"]) == (1, 2, 1)
    assert followups["completion"] == pytest.approx(1 / 3)
    [payments] = followups["by_team"]
    assert payments["team"] == "Payments"
    assert payments["overdue"] == 1


def test_filters_narrow_the_summary(history: None, viewer_api: Api) -> None:
    period = {"from": PERIOD[0], "to": PERIOD[1]}
    assert summary(viewer_api, **period, team="search")["incidents"] == 1
    assert summary(viewer_api, **period, severity="2")["incidents"] == 2
    # The history starts on 2026-11-25 10:00 in Tokyo; `to` is inclusive.
    assert summary(viewer_api, **{"from": "2026-11-25", "to": "2026-11-25"})["incidents"] == 1
    assert summary(viewer_api, **{"from": "2026-07-01", "to": "2026-09-30"})["incidents"] == 0


def test_the_csv_has_one_row_per_incident_with_its_milestones(
    history: None, viewer_api: Api
) -> None:
    response = viewer_api.get(
        "/reports/summary", **{"from": PERIOD[0], "to": PERIOD[1]}, format="csv"
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [row["title"] for row in rows] == ["Checkout fails", "Search is slow", "Login errors"]
    first = rows[0]
    assert first["time_to_acknowledge_seconds"] == str(TTA["A"])
    assert first["time_to_resolve_seconds"] == str(TTR["A"])
    assert first["reported_at"] == "2026-11-25T01:00:00+00:00"
    assert rows[2]["resolved_at"] == ""
    assert rows[2]["time_to_resolve_seconds"] == ""


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"from": "2026-13-01"}, "from"),
        ({"from": "2026-12-01", "to": "2026-11-01"}, "before"),
        ({"from": "2020-01-01", "to": "2026-01-01"}, "at most"),
        ({"severity": "high"}, "severity"),
        ({"format": "pdf"}, "format"),
    ],
)
def test_bad_input_is_refused_with_a_detail(
    viewer_api: Api, params: dict[str, str], named: str
) -> None:
    response = english(viewer_api).get("/reports/summary", **params)
    assert response.status_code == 400
    assert named in response.json()["detail"]


def test_only_signed_in_people_read_the_summary(anonymous_api: Api) -> None:
    assert anonymous_api.get("/reports/summary").status_code == 401
