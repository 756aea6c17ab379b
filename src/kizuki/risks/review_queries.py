"""Reads for Performance Reviews: the reviews, a review's agenda (its own findings and the
earlier ones still being investigated), a finding, whether it meets the entry criteria."""

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from kizuki.core.errors import NotFound
from kizuki.core.schemas import INT_MAX
from kizuki.risks import queries, scoring
from kizuki.risks.models import ON_AGENDA, Finding, FindingNote, Review


def _storable(value: int) -> int:
    return value if 0 < value <= INT_MAX else 0


def reviews() -> QuerySet[Review]:
    return Review.objects.order_by("-held_on", "-id")


def get_review(review_id: int) -> Review:
    review = Review.objects.filter(pk=_storable(review_id)).first()
    if review is None:
        raise NotFound(_("No review %(id)s.") % {"id": review_id})
    return review


def _findings() -> QuerySet[Finding]:
    return Finding.objects.select_related("review", "assignee", "risk").prefetch_related(
        "notes__actor"
    )


def get_finding(finding_id: int) -> Finding:
    finding = _findings().filter(pk=_storable(finding_id)).first()
    if finding is None:
        raise NotFound(_("No finding %(id)s.") % {"id": finding_id})
    return finding


def agenda(review: Review) -> list[Finding]:
    """The findings raised in the review, and those of earlier reviews still open."""
    found = _findings().filter(
        Q(review=review)
        | Q(review__held_on__lt=review.held_on, status__in=ON_AGENDA)
        | Q(review__held_on=review.held_on, review__id__lt=review.pk, status__in=ON_AGENDA)
    )
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
