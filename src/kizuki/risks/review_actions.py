"""The only write path for Performance Reviews: holding a review (its minutes), raising a
finding in it, the assignee's reports and changes of a finding (kept as its notes), and
promoting a finding that meets the entry criteria to a risk record, its notes carried over."""

from collections.abc import Callable
from datetime import date
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from kizuki.accounts.models import User
from kizuki.core import clock
from kizuki.core.actions import record_audit
from kizuki.core.errors import Conflict, InvalidInput
from kizuki.risks import actions, queries, review_queries
from kizuki.risks.models import Finding, FindingNote, FindingStatus, Review, Risk, Status

LINK_MAX = 500
FINDING_FIELDS = {"title", "link", "description", "assignee", "status", "potential_impact"}


def _clean_status(value: Any) -> str:
    # Promoting is its own action, not a status one sets.
    allowed = [s for s in FindingStatus.values if s != FindingStatus.PROMOTED]
    if value not in allowed:
        raise InvalidInput(
            _("Unknown status %(status)s; use one of %(statuses)s.")
            % {"status": value, "statuses": ", ".join(allowed)}
        )
    return str(value)


def _clean_link(value: Any) -> str:
    link = actions.clean_text(value, "link", LINK_MAX)
    if link and not link.startswith(("https://", "http://")):
        raise InvalidInput(_("The link must start with https:// or http://."))
    return link


def _note(finding: Finding, actor: User | None, text: str) -> None:
    FindingNote.objects.create(finding=finding, text=text, actor=actor, at=clock.now())


def _snapshot(finding: Finding) -> dict[str, Any]:
    return {
        "review": finding.review_id,
        "title": finding.title,
        "link": finding.link,
        "description": finding.description,
        "assignee": finding.assignee.username if finding.assignee else None,
        "status": finding.status,
        "potential_impact": finding.potential_impact,
        "risk": finding.risk_id,
    }


@transaction.atomic
def hold_review(actor: User | None, data: dict[str, Any]) -> Review:
    """Record a review: held_on (a date; left out: today), minutes."""
    unknown = set(data) - {"held_on", "minutes"}
    if unknown:
        raise InvalidInput(_("%(field)s cannot be set.") % {"field": ", ".join(sorted(unknown))})
    held_on = data.get("held_on") or queries.today()
    if not isinstance(held_on, date):
        raise InvalidInput(_("The review's day must be a date."))
    review = Review.objects.create(
        held_on=held_on,
        minutes=actions.clean_text(data.get("minutes"), "minutes"),
        created_by=actor,
        created_at=clock.now(),
    )
    record_audit(actor, "review.create", review, after={"held_on": held_on.isoformat()})
    return review


@transaction.atomic
def update_review(actor: User | None, review: Review, minutes: Any) -> Review:
    review = Review.objects.select_for_update().get(pk=review.pk)
    before = {"minutes": review.minutes}
    review.minutes = actions.clean_text(minutes, "minutes")
    review.save(update_fields=["minutes"])
    record_audit(actor, "review.update", review, before=before, after={"minutes": review.minutes})
    return review


@transaction.atomic
def add_finding(actor: User | None, review: Review, data: dict[str, Any]) -> Finding:
    """Raise a finding: title (required), link, description, assignee (User or None), status
    (open), potential_impact (a level, None: not known yet)."""
    unknown = set(data) - FINDING_FIELDS
    if unknown:
        raise InvalidInput(_("%(field)s cannot be set.") % {"field": ", ".join(sorted(unknown))})
    now = clock.now()
    finding = Finding.objects.create(
        review=review,
        title=actions.clean_title(data.get("title")),
        link=_clean_link(data.get("link")),
        description=actions.clean_text(data.get("description"), "description"),
        assignee=actions.clean_owner(data.get("assignee")),
        status=_clean_status(data.get("status") or FindingStatus.OPEN),
        potential_impact=actions.clean_impact(data.get("potential_impact"), "potential_impact"),
        created_by=actor,
        created_at=now,
        updated_at=now,
    )
    _note(finding, actor, _("Raised in the review of %(day)s.") % {"day": review.held_on})
    record_audit(actor, "finding.create", finding, after=_snapshot(finding))
    return review_queries.get_finding(finding.pk)


@transaction.atomic
def update_finding(actor: User | None, finding: Finding, changes: dict[str, Any]) -> Finding:
    """Change a finding (keys as add_finding) and/or report on it (`note`: what the
    investigation found); a report and a new status or impact become its notes."""
    unknown = set(changes) - FINDING_FIELDS - {"note"}
    if unknown:
        raise InvalidInput(_("%(field)s cannot be edited.") % {"field": ", ".join(sorted(unknown))})
    finding = Finding.objects.select_for_update().get(pk=finding.pk)
    if finding.status == FindingStatus.PROMOTED:
        raise Conflict(_("This finding is a risk now: change the risk instead."))
    before = _snapshot(finding)
    cleaners: dict[str, Callable[[Any], Any]] = {
        "title": actions.clean_title,
        "link": _clean_link,
        "description": lambda v: actions.clean_text(v, "description"),
        "assignee": actions.clean_owner,
        "status": _clean_status,
        "potential_impact": lambda v: actions.clean_impact(v, "potential_impact"),
    }
    cleaned = {field: cleaners[field](changes[field]) for field in FINDING_FIELDS & set(changes)}
    note = actions.clean_text(changes.get("note"), "note")
    if note:
        _note(finding, actor, note)
    if "status" in cleaned and cleaned["status"] != finding.status:
        _note(
            finding,
            actor,
            _("Status: %(from)s → %(to)s")
            % {
                "from": FindingStatus(finding.status).label,
                "to": FindingStatus(str(cleaned["status"])).label,
            },
        )
    if "potential_impact" in cleaned and cleaned["potential_impact"] != finding.potential_impact:
        _note(
            finding,
            actor,
            _("Potential impact: %(from)s → %(to)s")
            % {
                "from": finding.potential_impact if finding.potential_impact is not None else "?",
                "to": cleaned["potential_impact"]
                if cleaned["potential_impact"] is not None
                else "?",
            },
        )
    for field, value in cleaned.items():
        setattr(finding, field, value)
    finding.updated_at = clock.now()
    finding.save()
    after = _snapshot(finding)
    if after != before:
        record_audit(actor, "finding.update", finding, before=before, after=after)
    return review_queries.get_finding(finding.pk)


BLOCKER_TEXT = {
    "promoted": lambda: _("it is a risk already"),
    "resolved": lambda: _("it was solved at the root"),
    "too_early": lambda: _("it has been investigated for less than a week"),
    "impact_unknown": lambda: _("its potential impact is not known yet"),
    "impact_low": lambda: _("its potential impact cannot reach 3"),
}


def _log(finding: Finding) -> str:
    """The finding's link, description and notes, for the risk's "how it was noticed"."""
    lines = [line for line in (finding.link, finding.description) if line]
    for note in review_queries.notes(finding):
        who = note.actor.username if note.actor else "Kizuki"
        lines.append(f"{queries.day_of(note.at).isoformat()} {who}: {note.text}")
    return "\n".join(lines)


@transaction.atomic
def promote_finding(actor: User | None, finding: Finding, data: dict[str, Any]) -> Risk:
    """Make a risk record of a finding that meets the entry criteria. The risk takes its title,
    assignee (as owner), potential impact, and its link, description and notes as "how it was
    noticed"; `data` may add or override the risk's fields (likelihood, current_impact,
    status (in progress), services, summary, ...)."""
    finding = Finding.objects.select_for_update().get(pk=finding.pk)
    blockers = review_queries.blockers(finding)
    if blockers:
        raise Conflict(
            _("This finding cannot become a risk yet: %(why)s.")
            % {"why": _(", ").join(BLOCKER_TEXT[code]() for code in blockers)}
        )
    fields: dict[str, Any] = {
        "title": finding.title,
        "owner": finding.assignee,
        "potential_impact": finding.potential_impact,
        "status": Status.IN_PROGRESS,
        "noticed": _log(finding),
        "reason": _("Promoted from the finding of the review of %(day)s.")
        % {"day": finding.review.held_on},
        **data,
    }
    risk = actions.create_risk(actor, fields)
    before = _snapshot(finding)
    finding.status = FindingStatus.PROMOTED
    finding.risk = risk
    finding.updated_at = clock.now()
    finding.save()
    _note(finding, actor, _("Promoted to the risk %(ref)s.") % {"ref": risk.ref})
    record_audit(actor, "finding.promote", finding, before=before, after=_snapshot(finding))
    return risk
