"""The only write path for Performance Reviews: the review day (admins), holding a review (its
agenda carried over from the earlier ones, its minutes), raising a finding in it (with a
Prometheus snapshot taken once), the assignee's reports and changes of a finding (kept as its
notes), and promoting a finding that meets the entry criteria to a risk record, its notes
carried over."""

from collections.abc import Callable
from datetime import date
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from kizuki.accounts.models import User
from kizuki.core import clock
from kizuki.core.actions import record_audit
from kizuki.core.errors import Conflict, InvalidInput
from kizuki.core.text import clean_text, clean_title
from kizuki.risks import actions, prometheus, queries, review_queries
from kizuki.risks.models import (
    Finding,
    FindingNote,
    FindingStatus,
    Review,
    ReviewSettings,
    Risk,
    Status,
    Weekday,
)

LINK_MAX = 500
FINDING_FIELDS = {"title", "link", "description", "assignee", "status", "potential_impact"}
SNAPSHOT_FIELDS = {"snapshot_query", "snapshot_range"}


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
    link = clean_text(value, "link", LINK_MAX)
    if link and not link.startswith(("https://", "http://")):
        raise InvalidInput(_("The link must start with https:// or http://."))
    return link


def _note(finding: Finding, actor: User | None, text: str) -> None:
    FindingNote.objects.create(finding=finding, text=text, actor=actor, at=clock.now())


def _audit_fields(finding: Finding) -> dict[str, Any]:
    return {
        "review": finding.review_id,
        "title": finding.title,
        "link": finding.link,
        "description": finding.description,
        "assignee": finding.assignee.username if finding.assignee else None,
        "status": finding.status,
        "potential_impact": finding.potential_impact,
        "snapshot_query": finding.snapshot_query,
        "risk": finding.risk_id,
    }


@transaction.atomic
def update_review_settings(actor: User | None, weekday: Any) -> ReviewSettings:
    """Choose the review day (0 Monday to 6 Sunday). Audited."""
    if isinstance(weekday, bool) or weekday not in Weekday.values:
        raise InvalidInput(_("The review day must be a day of the week."))
    if not ReviewSettings.objects.exists():
        ReviewSettings.objects.get_or_create(pk=1)  # the first change saves the row
    found = ReviewSettings.objects.select_for_update().order_by("pk").first()
    assert found is not None
    before = {"weekday": found.weekday}
    found.weekday = int(weekday)
    found.save()
    record_audit(actor, "review.settings", found, before=before, after={"weekday": found.weekday})
    return found


@transaction.atomic
def hold_this_weeks_review(actor: User | None) -> tuple[Review, bool]:
    """This week's review: the one held since the last review day, else a new one today (with
    the agenda carried over). True when it was created."""
    held = review_queries.this_weeks_review()
    if held is not None:
        return held, False
    return hold_review(actor, {}), True


@transaction.atomic
def hold_review(actor: User | None, data: dict[str, Any]) -> Review:
    """Record a review: held_on (a date; left out: today), minutes. The earlier findings still
    open (review_queries.to_carry_over) go on its agenda."""
    unknown = set(data) - {"held_on", "minutes"}
    if unknown:
        raise InvalidInput(_("%(field)s cannot be set.") % {"field": ", ".join(sorted(unknown))})
    held_on = data.get("held_on") or queries.today()
    if not isinstance(held_on, date):
        raise InvalidInput(_("The review's day must be a date."))
    review = Review.objects.create(
        held_on=held_on,
        minutes=clean_text(data.get("minutes"), "minutes"),
        created_by=actor,
        created_at=clock.now(),
    )
    carried = review_queries.to_carry_over(review)
    review.carried_over.set(carried)
    record_audit(
        actor,
        "review.create",
        review,
        after={"held_on": held_on.isoformat(), "carried_over": [f.pk for f in carried]},
    )
    return review


@transaction.atomic
def update_review(actor: User | None, review: Review, minutes: Any) -> Review:
    review = Review.objects.select_for_update().get(pk=review.pk)
    before = {"minutes": review.minutes}
    review.minutes = clean_text(minutes, "minutes")
    review.save(update_fields=["minutes"])
    record_audit(actor, "review.update", review, before=before, after={"minutes": review.minutes})
    return review


def _clean_snapshot(data: dict[str, Any]) -> tuple[str, str]:
    """The PromQL query and its range; ("", "") for none. Refused while snapshots are off."""
    query = clean_text(data.get("snapshot_query"), "snapshot_query", prometheus.QUERY_MAX)
    if not query:
        return "", ""
    if not prometheus.enabled():
        raise InvalidInput(
            _(
                "Prometheus snapshots are off: an administrator sets KIZUKI_PROMETHEUS_URL to"
                " turn them on. Leave snapshot_query out."
            )
        )
    range_name = data.get("snapshot_range") or prometheus.DEFAULT_RANGE
    if range_name not in prometheus.RANGES:
        raise InvalidInput(
            _("Unknown range %(range)s; use one of %(ranges)s.")
            % {"range": range_name, "ranges": ", ".join(prometheus.RANGES)}
        )
    return query, str(range_name)


def add_finding(actor: User | None, review: Review, data: dict[str, Any]) -> Finding:
    """Raise a finding: title (required), link, description, assignee (User or None), status
    (open), potential_impact (a level, None: not known yet), and with Prometheus configured
    snapshot_query and snapshot_range. The snapshot is taken before the transaction (a slow
    Prometheus must not hold the database) and stored with the finding, failed or not."""
    unknown = set(data) - FINDING_FIELDS - SNAPSHOT_FIELDS
    if unknown:
        raise InvalidInput(_("%(field)s cannot be set.") % {"field": ", ".join(sorted(unknown))})
    fields: dict[str, Any] = {
        "title": clean_title(data.get("title")),
        "link": _clean_link(data.get("link")),
        "description": clean_text(data.get("description"), "description"),
        "assignee": actions.clean_owner(data.get("assignee")),
        "status": _clean_status(data.get("status") or FindingStatus.OPEN),
        "potential_impact": actions.clean_impact(data.get("potential_impact"), "potential_impact"),
    }
    query, range_name = _clean_snapshot(data)
    if query:
        fields.update(
            snapshot_query=query,
            snapshot_range=range_name,
            snapshot=prometheus.take(query, range_name, clock.now()),
        )
    return _create_finding(actor, review, fields)


@transaction.atomic
def _create_finding(actor: User | None, review: Review, fields: dict[str, Any]) -> Finding:
    now = clock.now()
    finding = Finding.objects.create(
        review=review, created_by=actor, created_at=now, updated_at=now, **fields
    )
    _note(finding, actor, _("Raised in the review of %(day)s.") % {"day": review.held_on})
    record_audit(actor, "finding.create", finding, after=_audit_fields(finding))
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
    before = _audit_fields(finding)
    cleaners: dict[str, Callable[[Any], Any]] = {
        "title": clean_title,
        "link": _clean_link,
        "description": lambda v: clean_text(v, "description"),
        "assignee": actions.clean_owner,
        "status": _clean_status,
        "potential_impact": lambda v: actions.clean_impact(v, "potential_impact"),
    }
    cleaned = {field: cleaners[field](changes[field]) for field in FINDING_FIELDS & set(changes)}
    note = clean_text(changes.get("note"), "note")
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
    after = _audit_fields(finding)
    if after != before:
        record_audit(actor, "finding.update", finding, before=before, after=after)
    return review_queries.get_finding(finding.pk)


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
            % {"why": _(", ").join(review_queries.blocker_text(code) for code in blockers)}
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
    before = _audit_fields(finding)
    finding.status = FindingStatus.PROMOTED
    finding.risk = risk
    finding.updated_at = clock.now()
    finding.save()
    _note(finding, actor, _("Promoted to the risk %(ref)s.") % {"ref": risk.ref})
    record_audit(actor, "finding.promote", finding, before=before, after=_audit_fields(finding))
    return risk
