"""Reads for Performance Reviews: the reviews, the schedule (the review day, the next review,
this week's review), a review's agenda (its own findings and the earlier ones carried over), a
finding, whether it meets the entry criteria and why not, its snapshot as a chart."""

from datetime import date, timedelta

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from kizuki.core.errors import NotFound
from kizuki.core.schemas import INT_MAX
from kizuki.risks import charts, prometheus, queries, scoring
from kizuki.risks.models import (
    ON_AGENDA,
    Finding,
    FindingNote,
    FindingStatus,
    Review,
    ReviewSettings,
)


def _storable(value: int) -> int:
    return value if 0 < value <= INT_MAX else 0


def reviews() -> QuerySet[Review]:
    return Review.objects.order_by("-held_on", "-id")


def get_review(review_id: int) -> Review:
    review = Review.objects.filter(pk=_storable(review_id)).first()
    if review is None:
        raise NotFound(_("No review %(id)s.") % {"id": review_id})
    return review


def review_settings() -> ReviewSettings:
    """The saved schedule, else the defaults (not saved: reading never writes)."""
    found = ReviewSettings.objects.order_by("pk").first()
    return found if found is not None else ReviewSettings()


def week_start(weekday: int, today: date) -> date:
    """The review day of the week `today` is in: the last `weekday` on or before today."""
    return today - timedelta(days=(today.weekday() - weekday) % 7)


def this_weeks_review(today: date | None = None) -> Review | None:
    """The review held since the last review day (the latest, if several)."""
    day = today or queries.today()
    since = week_start(review_settings().weekday, day)
    return reviews().filter(held_on__gte=since, held_on__lte=day).first()


def next_review_day(today: date | None = None) -> date:
    """Today if it is the review day and this week's review is not held yet, else the next
    review day."""
    day = today or queries.today()
    weekday = review_settings().weekday
    if day.weekday() == weekday and this_weeks_review(day) is None:
        return day
    return day + timedelta(days=(weekday - day.weekday() - 1) % 7 + 1)


def _findings() -> QuerySet[Finding]:
    return Finding.objects.select_related("review", "assignee", "risk").prefetch_related(
        "notes__actor"
    )


def get_finding(finding_id: int) -> Finding:
    finding = _findings().filter(pk=_storable(finding_id)).first()
    if finding is None:
        raise NotFound(_("No finding %(id)s.") % {"id": finding_id})
    return finding


def to_carry_over(review: Review) -> list[Finding]:
    """The earlier reviews' findings that go on `review`'s agenda: every one still open or
    being investigated, and a watched one whose potential impact can reach the entry level (it
    is, or soon will be, proposed for a risk record: watching must not bury it)."""
    earlier = Q(review__held_on__lt=review.held_on) | Q(
        review__held_on=review.held_on, review__id__lt=review.pk
    )
    still_open = Q(status__in=ON_AGENDA) | Q(
        status=FindingStatus.WATCHING, potential_impact__gte=scoring.ENTRY_LEVEL
    )
    return list(Finding.objects.filter(earlier & still_open).order_by("created_at", "id"))


def agenda(review: Review) -> list[Finding]:
    """The findings raised in the review, and those carried over to it when it was held."""
    found = _findings().filter(Q(review=review) | Q(carried_to=review)).distinct()
    return list(found.order_by("created_at", "id"))


def notes(finding: Finding) -> list[FindingNote]:
    return list(finding.notes.all())


def blockers(finding: Finding) -> list[str]:
    return scoring.promotion_blockers(
        queries.day_of(finding.created_at),
        queries.today(),
        finding.status,
        finding.potential_impact,
    )


def is_proposed(finding: Finding) -> bool:
    """Whether the finding meets the entry criteria: propose promoting it to a risk."""
    return not blockers(finding)


def blocker_text(code: str) -> str:
    """One reason a finding is not proposed, in the reader's language."""
    texts = {
        "promoted": _("it is a risk already"),
        "resolved": _("it was solved at the root"),
        "too_early": _("it has been investigated for less than a week"),
        "impact_unknown": _("its potential impact is not known yet"),
        "impact_low": _("its potential impact cannot reach 3"),
    }
    return texts[code]


def proposal_day(finding: Finding) -> date:
    """The first day the finding has been investigated for a week."""
    return queries.day_of(finding.created_at) + timedelta(days=scoring.INVESTIGATION_DAYS)


def snapshot_chart(finding: Finding) -> charts.SeriesChart | None:
    """The finding's Prometheus snapshot as a chart; None without one, or when it failed."""
    snapshot = finding.snapshot
    if not snapshot or snapshot.get("failure") or "series" not in snapshot:
        return None
    series = [
        (prometheus.series_name(item["labels"]), [(p[0], p[1]) for p in item["points"]])
        for item in snapshot["series"]
    ]
    return charts.series_chart(series, float(snapshot["start"]), float(snapshot["end"]))
