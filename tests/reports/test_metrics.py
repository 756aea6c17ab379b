"""The per-incident durations, from milestones as the queries return them."""

from datetime import UTC, datetime, timedelta

from kizuki.reports.metrics import IncidentMetrics
from kizuki.reports.summary import stats_of

REPORTED = datetime(2026, 11, 25, 1, 0, tzinfo=UTC)


def metrics(**changes: object) -> IncidentMetrics:
    fields: dict[str, object] = {
        "number": 1,
        "title": "Checkout fails",
        "status": "resolved",
        "is_drill": False,
        "team_id": None,
        "team_name": "",
        "severity_level": 2,
        "reported_at": REPORTED,
        "first_alert_at": None,
        "acknowledged_at": REPORTED + timedelta(minutes=5),
        "assigned_at": None,
        "mitigated_at": None,
        "resolved_at": REPORTED + timedelta(hours=1),
        "impact_started_at": None,
        "impact_ended_at": None,
    }
    return IncidentMetrics(**{**fields, **changes})  # type: ignore[arg-type]


def test_durations_run_from_the_report() -> None:
    incident = metrics()
    assert incident.time_to_acknowledge == timedelta(minutes=5)
    assert incident.time_to_resolve == timedelta(hours=1)
    assert incident.time_to_assign is None
    assert incident.impact_duration is None


def test_an_alert_that_fired_before_the_report_starts_the_clock() -> None:
    incident = metrics(first_alert_at=REPORTED - timedelta(minutes=10))
    assert incident.time_to_acknowledge == timedelta(minutes=15)
    later_alert = metrics(first_alert_at=REPORTED + timedelta(minutes=1))
    assert later_alert.time_to_acknowledge == timedelta(minutes=5)


def test_impact_duration_and_what_is_left_out() -> None:
    incident = metrics(impact_started_at=REPORTED - timedelta(minutes=30), impact_ended_at=REPORTED)
    assert incident.impact_duration == timedelta(minutes=30)
    assert not metrics(is_drill=True).counts
    assert not metrics(status="false_alarm").counts
    assert metrics().counts


def test_mean_median_and_nearest_rank_p90() -> None:
    durations = [timedelta(seconds=s) for s in range(1, 11)] + [None]
    stats = stats_of(durations)
    assert (stats.count, stats.mean, stats.median, stats.p90) == (10, 5.5, 5.5, 9)
    assert stats_of([]).mean is None
