"""Impact scoring: score = scope * effect, the level thresholds, priority, and the default
next visit per status with its allowed window."""

from datetime import date

import pytest

from kizuki.risks import scoring


@pytest.mark.parametrize(
    ("score", "level"),
    [
        (15, 10),
        (10, 10),
        (9, 6),
        (6, 6),
        (5, 3),
        (3, 3),
        (2, 1),
        (1, 1),
        (0, 0),
        (None, None),
    ],
)
def test_a_level_is_the_highest_threshold_the_score_reaches(
    score: int | None, level: int | None
) -> None:
    assert scoring.impact_level(score) == level


def test_the_score_is_scope_times_effect() -> None:
    assert scoring.incident_score(1, 1) == 1
    assert scoring.incident_score(3, 3) == 9
    assert scoring.incident_score(2, 5) == 10
    assert scoring.impact_level(scoring.incident_score(3, 3)) == 6
    with pytest.raises(ValueError, match="scope"):
        scoring.incident_score(4, 1)
    with pytest.raises(ValueError, match="effect"):
        scoring.incident_score(1, 2)


def test_priority_is_potential_impact_times_likelihood() -> None:
    assert scoring.priority(6, 2) == 12
    assert scoring.priority(10, 1) == 10
    assert scoring.priority(0, 2) == 0
    assert scoring.priority(None, 2) is None


def test_the_next_visit_follows_the_status() -> None:
    today = date(2026, 1, 31)
    assert scoring.default_next_visit("in_progress", today) == date(2026, 2, 14)
    assert scoring.default_next_visit("not_started", today) == date(2026, 2, 14)
    assert scoring.default_next_visit("watching", today) == date(2026, 2, 28)
    assert scoring.default_next_visit("interim_done", today) == date(2026, 2, 28)
    assert scoring.default_next_visit("done", today) is None
    assert scoring.visit_window("in_progress", today) == (date(2026, 2, 7), date(2026, 2, 28))
    assert scoring.visit_window("watching", today) == (date(2026, 2, 28), date(2026, 4, 30))
    assert scoring.visit_window("done", today) is None


def test_a_month_ahead_of_a_month_end_is_the_next_months_end() -> None:
    assert scoring.Ahead(months=1).after(date(2026, 1, 31)) == date(2026, 2, 28)
    assert scoring.Ahead(months=3).after(date(2026, 11, 30)) == date(2027, 2, 28)
    assert scoring.Ahead(days=14).after(date(2026, 12, 25)) == date(2027, 1, 8)


def test_a_finding_is_proposed_after_a_week_unsolved_with_potential_impact_3_or_more() -> None:
    found = date(2026, 11, 2)
    week_later = date(2026, 11, 9)
    assert scoring.promotion_blockers(found, week_later, "investigating", 3) == []
    assert scoring.promotion_blockers(found, week_later, "watching", 10) == []
    assert scoring.promotion_blockers(found, date(2026, 11, 8), "open", 6) == ["too_early"]
    assert scoring.promotion_blockers(found, week_later, "open", 1) == ["impact_low"]
    assert scoring.promotion_blockers(found, week_later, "open", None) == ["impact_unknown"]
    assert scoring.promotion_blockers(found, week_later, "resolved", 6) == ["resolved"]
    assert scoring.promotion_blockers(found, week_later, "promoted", 6) == ["promoted"]
