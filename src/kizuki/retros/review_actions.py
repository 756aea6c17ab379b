"""The write path for reviewing a retrospective: asking people to review, their approval or
comment (on the version they read), and comments on single sections."""

from django.db import transaction
from django.utils.translation import gettext as _

from kizuki.accounts.models import User
from kizuki.core import clock
from kizuki.core.actions import record_audit
from kizuki.core.errors import Conflict, InvalidInput, NotAllowed
from kizuki.core.events import publish
from kizuki.retros import events
from kizuki.retros.models import (
    Retrospective,
    RetroStatus,
    Review,
    ReviewState,
    SectionComment,
)

MAX_COMMENT = 10_000


def _id(user: User | None) -> int | None:
    return user.pk if user else None


def _lock(retro: Retrospective) -> Retrospective:
    return Retrospective.objects.select_for_update().select_related("incident").get(pk=retro.pk)


def _clean(text: str, *, required: bool) -> str:
    text = text.strip()
    if required and not text:
        raise InvalidInput(_("The text may not be empty."))
    if len(text) > MAX_COMMENT:
        raise InvalidInput(_("A comment may be at most %(max)s characters.") % {"max": MAX_COMMENT})
    return text


@transaction.atomic
def request_reviews(
    actor: User | None, retro: Retrospective, reviewers: list[User]
) -> list[Review]:
    """Ask people to review. Asking again someone who already answered asks them to look at
    the current version (their earlier verdict no longer counts)."""
    if not reviewers:
        raise InvalidInput(_("Name at least one reviewer."))
    retro = _lock(retro)
    if retro.status == RetroStatus.PUBLISHED:
        raise Conflict(_("The retrospective is published; reopen it to ask for reviews."))
    now = clock.now()
    asked = []
    for reviewer in dict.fromkeys(reviewers):
        if retro.owner_id == reviewer.pk:
            raise InvalidInput(
                _("%(user)s owns this retrospective and cannot review it.")
                % {"user": reviewer.username}
            )
        review, _created = Review.objects.update_or_create(
            retro=retro,
            reviewer=reviewer,
            defaults={
                "state": ReviewState.REQUESTED,
                "version": None,
                "requested_by": actor,
                "requested_at": now,
                "at": now,
            },
        )
        asked.append(review)
        record_audit(
            actor, "retrospective.request_review", retro, after={"reviewer": reviewer.username}
        )
        publish(events.ReviewRequested(retro.pk, retro.incident_id, _id(actor), reviewer.pk))
    return asked


@transaction.atomic
def give_review(actor: User, retro: Retrospective, state: str, comment: str = "") -> Review:
    """Approve the current version, or comment on it. Anyone who may read it may review;
    the owner cannot approve their own."""
    if state not in {ReviewState.APPROVED, ReviewState.COMMENTED}:
        raise InvalidInput(
            _("Unknown review %(state)s; use approved or commented.") % {"state": state}
        )
    comment = _clean(comment, required=state == ReviewState.COMMENTED)
    retro = _lock(retro)
    if retro.status not in {RetroStatus.DRAFT, RetroStatus.IN_REVIEW}:
        raise Conflict(_("The retrospective is published; reopen it to review it again."))
    if state == ReviewState.APPROVED and retro.owner_id == actor.pk:
        raise NotAllowed(_("The owner cannot approve their own retrospective."))
    review, _created = Review.objects.update_or_create(
        retro=retro,
        reviewer=actor,
        defaults={"state": state, "comment": comment, "version": retro.version, "at": clock.now()},
    )
    record_audit(
        actor,
        "retrospective.review",
        retro,
        after={"state": state, "comment": comment, "version": retro.version},
    )
    publish(events.ReviewGiven(retro.pk, retro.incident_id, actor.pk, actor.pk, state))
    return review


@transaction.atomic
def add_section_comment(
    actor: User | None, retro: Retrospective, section_key: str, text: str
) -> SectionComment:
    text = _clean(text, required=True)
    retro = _lock(retro)
    keys = list(retro.sections.values_list("key", flat=True))
    if section_key not in keys:
        raise InvalidInput(
            _("No section %(keys)s; the sections are %(known)s.")
            % {"keys": section_key, "known": ", ".join(keys)}
        )
    comment = SectionComment.objects.create(
        retro=retro, section_key=section_key, author=actor, text=text, created_at=clock.now()
    )
    record_audit(
        actor, "retrospective.comment", comment, after={"section": section_key, "text": text}
    )
    publish(
        events.SectionCommented(
            retro.pk, retro.incident_id, _id(actor), comment.pk, section_key, resolved=False
        )
    )
    return comment


@transaction.atomic
def resolve_section_comment(
    actor: User | None, comment: SectionComment, resolved: bool = True
) -> SectionComment:
    retro = _lock(comment.retro)
    comment = SectionComment.objects.select_for_update().get(pk=comment.pk)
    if comment.resolved == resolved:
        return comment
    comment.resolved = resolved
    comment.resolved_by = actor if resolved else None
    comment.resolved_at = clock.now() if resolved else None
    comment.save(update_fields=["resolved", "resolved_by", "resolved_at"])
    record_audit(actor, "retrospective.resolve_comment", comment, after={"resolved": resolved})
    publish(
        events.SectionCommented(
            retro.pk, retro.incident_id, _id(actor), comment.pk, comment.section_key, resolved
        )
    )
    return comment
