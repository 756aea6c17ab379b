"""Risk scoring, as dinii's System Risk Records do it (pure functions, no database).

A risk's impacts are impact levels of the incident score (incidents.scoring: score = scope *
effect, a level is the highest of 10, 6, 3, 1, 0 it reaches, or unknown). A risk's priority
is its potential impact * its likelihood (1: can happen, 2: can happen any time, or almost
certainly with scale)."""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

# The incident score lives with incidents (below risks in the layers); risks use it as is.
from kizuki.incidents.scoring import EFFECTS, LEVELS, SCOPES, impact_level, incident_score

__all__ = ["EFFECTS", "LEVELS", "SCOPES", "impact_level", "incident_score"]

LIKELIHOODS: tuple[int, ...] = (1, 2)
# A finding becomes a risk record when its potential impact can reach this (the article's
# entry criterion).
ENTRY_LEVEL = 3


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
