"""Impact scoring, as dinii's System Risk Records do it (pure functions, no database).

An incident's score is scope * effect (scope 1/2/3: how many sites it reached; effect 1/3/5:
how badly their core work suffered; the labels of both scales are the organisation's, see
models.ImpactScale). An impact level is the highest of 10, 6, 3, 1, 0 a score reaches, or
unknown (None). A risk's priority is its potential impact * its likelihood (1: can happen,
2: can happen any time, or almost certainly with scale)."""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

# The impact levels, highest first; None is "unknown".
LEVELS: tuple[int, ...] = (10, 6, 3, 1, 0)
LIKELIHOODS: tuple[int, ...] = (1, 2)
SCOPES: tuple[int, ...] = (1, 2, 3)
EFFECTS: tuple[int, ...] = (1, 3, 5)
# A finding becomes a risk record when its potential impact can reach this (the article's
# entry criterion).
ENTRY_LEVEL = 3


def incident_score(scope: int, effect: int) -> int:
    """scope * effect: 1 (a few sites, only work outside the core) to 15."""
    if scope not in SCOPES or effect not in EFFECTS:
        raise ValueError(f"scope must be one of {SCOPES} and effect one of {EFFECTS}")
    return scope * effect


def impact_level(score: int | None) -> int | None:
    """The highest level the score reaches; None (unknown) when the score is unknown."""
    if score is None:
        return None
    return next(level for level in LEVELS if score >= level) if score >= 0 else 0


def priority(potential_impact: int | None, likelihood: int) -> int | None:
    """Potential impact * likelihood; unknown while the potential impact is unknown."""
    if potential_impact is None:
        return None
    return potential_impact * likelihood


@dataclass(frozen=True)
class Ahead:
    """A distance in days and calendar months ("a month from the 31st" is the month's end)."""

    days: int = 0
    months: int = 0

    def after(self, day: date) -> date:
        month_index = day.month - 1 + self.months
        year, month = day.year + month_index // 12, month_index % 12 + 1
        last = calendar.monthrange(year, month)[1]
        return date(year, month, min(day.day, last)) + timedelta(days=self.days)


# How far ahead the next visit goes, per status: (default, earliest, latest). "In progress"
# and "watching"/"interim measure done" come from the article. "Not started" is ours: nobody
# is on it yet, so it is looked at again as soon as an active one (2 weeks by default), but
# may be put off up to a month while the team decides who takes it. "Done" has no next visit.
VISIT_WINDOWS: dict[str, tuple[Ahead, Ahead, Ahead]] = {
    "not_started": (Ahead(days=14), Ahead(days=1), Ahead(months=1)),
    "in_progress": (Ahead(days=14), Ahead(days=7), Ahead(months=1)),
    "watching": (Ahead(months=1), Ahead(months=1), Ahead(months=3)),
    "interim_done": (Ahead(months=1), Ahead(months=1), Ahead(months=3)),
}


def default_next_visit(status: str, today: date) -> date | None:
    """The next visit a risk in `status` gets when nobody chooses one; None when done."""
    window = VISIT_WINDOWS.get(status)
    return window[0].after(today) if window else None


def visit_window(status: str, today: date) -> tuple[date, date] | None:
    """The earliest and latest next visit allowed for `status`; None: no visit (done)."""
    window = VISIT_WINDOWS.get(status)
    return (window[1].after(today), window[2].after(today)) if window else None


# The entry criteria of a finding (the article): investigated for a week, not solved at the
# root, and its potential impact can reach 3 or more.
INVESTIGATION_DAYS = 7


def promotion_blockers(
    found_on: date, today: date, status: str, potential_impact: int | None
) -> list[str]:
    """Why a finding cannot become a risk yet, as codes; empty: propose it. The codes:
    promoted (it is a risk already), resolved (solved at the root), too_early (investigated for
    less than a week), impact_unknown, impact_low (cannot reach ENTRY_LEVEL)."""
    blockers = []
    if status == "promoted":
        blockers.append("promoted")
    if status == "resolved":
        blockers.append("resolved")
    if today < found_on + timedelta(days=INVESTIGATION_DAYS):
        blockers.append("too_early")
    if potential_impact is None:
        blockers.append("impact_unknown")
    elif potential_impact < ENTRY_LEVEL:
        blockers.append("impact_low")
    return blockers
