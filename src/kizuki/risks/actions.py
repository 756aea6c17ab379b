"""The only write path for risk records. Each action is one transaction that writes the risk,
its history (models.Change: every change of status, impact or likelihood with its reason, and
every visit) and the audit log.

A risk's next visit follows its status unless someone chooses it (scoring.VISIT_WINDOWS):
creating a risk or moving its status sets the default; a chosen date must fall in the status's
window; a done risk has none."""

from datetime import date
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from kizuki.accounts.models import User
from kizuki.catalog.models import Service
from kizuki.core import clock
from kizuki.core.actions import record_audit
from kizuki.core.errors import Conflict, InvalidInput
from kizuki.core.events import publish
from kizuki.core.text import clean_text, clean_title
from kizuki.incidents.access import visible_incidents
from kizuki.incidents.models import Incident
from kizuki.risks import events, queries, scoring
from kizuki.risks.models import Change, Likelihood, Risk, Status

REASON_MAX = 2_000
SECTIONS = ["summary", "noticed", "cause", "plan", "countermeasures", "next_action"]
# Changes of these are history with a reason (the article: how the risk evolved).
TRACKED = ["status", "current_impact", "potential_impact", "likelihood"]
EDITABLE = {
    "title",
    *SECTIONS,
    "services",
    "owner",
    "incidents",
    *TRACKED,
    "next_visit",
    "reason",
}


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def clean_impact(value: Any, field: str) -> int | None:
    """An impact level (10, 6, 3, 1, 0); None or "unknown" for unknown."""
    if value is None or value == "unknown":
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value not in scoring.LEVELS:
        raise InvalidInput(
            _("%(field)s must be one of 10, 6, 3, 1, 0 or unknown.") % {"field": field}
        )
    return int(value)


def _clean_likelihood(value: Any) -> int:
    if isinstance(value, bool) or value not in Likelihood.values:
        raise InvalidInput(_("likelihood must be 1 (can happen) or 2 (can happen any time)."))
    return int(value)


def _clean_status(value: Any) -> str:
    if value not in Status.values:
        raise InvalidInput(
            _("Unknown status %(status)s; use one of %(statuses)s.")
            % {"status": value, "statuses": ", ".join(Status.values)}
        )
    return str(value)


def clean_owner(value: Any) -> User | None:
    if value is not None and not isinstance(value, User):
        raise InvalidInput(_("The owner must be a person."))
    return value


def _check_next_visit(status: str, day: Any) -> date | None:
    """A chosen next visit, checked against the window of `status`."""
    if day is None:
        return None
    if not isinstance(day, date):
        raise InvalidInput(_("The next visit must be a date."))
    today = queries.today()
    window = scoring.visit_window(status, today)
    if window is None:
        raise InvalidInput(_("A done risk has no next visit."))
    earliest, latest = window
    if not earliest <= day <= latest:
        raise InvalidInput(
            _(
                "For a risk that is %(status)s the next visit must be between %(earliest)s"
                " and %(latest)s."
            )
            % {
                "status": Status(status).label,
                "earliest": earliest.isoformat(),
                "latest": latest.isoformat(),
            }
        )
    return day


def snapshot(risk: Risk) -> dict[str, Any]:
    """The audited view of a risk: plain JSON values."""
    return {
        "title": risk.title,
        **{section: getattr(risk, section) for section in SECTIONS},
        "services": sorted(s.slug for s in risk.services.all()),
        "owner": risk.owner.username if risk.owner else None,
        "status": risk.status,
        "current_impact": risk.current_impact,
        "potential_impact": risk.potential_impact,
        "likelihood": risk.likelihood,
        "priority": risk.priority,
        "next_visit": _iso(risk.next_visit),
        "incidents": sorted(i.ref for i in risk.incidents.all()),
    }


def _log(
    risk: Risk,
    actor: User | None,
    event: str,
    reason: str = "",
    *,
    previous: Any = None,
    value: Any = None,
) -> Change:
    return Change.objects.create(
        risk=risk,
        event=event,
        previous=previous,
        value=value,
        reason=reason,
        actor=actor,
        at=clock.now(),
    )


def _check_keys(data: dict[str, Any]) -> None:
    unknown = set(data) - EDITABLE
    if unknown:
        raise InvalidInput(_("%(field)s cannot be set.") % {"field": ", ".join(sorted(unknown))})


def _clean_links(data: dict[str, Any]) -> None:
    for field, kind in (("services", Service), ("incidents", Incident)):
        items = data.get(field)
        if items is not None and not all(isinstance(item, kind) for item in items):
            raise InvalidInput(_("%(field)s must be a list.") % {"field": field})


@transaction.atomic
def create_risk(actor: User | None, data: dict[str, Any]) -> Risk:
    """Record a risk. Keys: title (required), summary and the detail sections (noticed,
    cause, plan, countermeasures, next_action), services ([Service]), owner (User or None),
    status (not_started), current_impact and potential_impact (10/6/3/1/0, None: unknown),
    likelihood (1), next_visit (left out: the status's default), incidents ([Incident]),
    reason (kept with the first history entry)."""
    _check_keys(data)
    _clean_links(data)
    status = _clean_status(data.get("status") or Status.NOT_STARTED)
    potential = clean_impact(data.get("potential_impact"), "potential_impact")
    likelihood = _clean_likelihood(data.get("likelihood", Likelihood.CAN_HAPPEN))
    if data.get("next_visit") is not None:
        next_visit = _check_next_visit(status, data["next_visit"])
    else:
        next_visit = scoring.default_next_visit(status, queries.today())
    now = clock.now()
    risk = Risk.objects.create(
        title=clean_title(data.get("title")),
        **{section: clean_text(data.get(section), section) for section in SECTIONS},
        owner=clean_owner(data.get("owner")),
        status=status,
        current_impact=clean_impact(data.get("current_impact"), "current_impact"),
        potential_impact=potential,
        likelihood=likelihood,
        priority=scoring.priority(potential, likelihood),
        next_visit=next_visit,
        created_by=actor,
        created_at=now,
        updated_at=now,
    )
    risk.services.set(data.get("services") or [])
    risk.incidents.set(data.get("incidents") or [])
    reason = clean_text(data.get("reason"), "reason", REASON_MAX)
    after = snapshot(risk)
    _log(risk, actor, "created", reason, value={field: after[field] for field in TRACKED})
    record_audit(actor, "risk.create", risk, after=after)
    publish(events.RiskRecorded(risk.pk, actor.pk if actor else None))
    return queries.get_risk(risk.pk)


def _tracked(risk: Risk, changes: dict[str, Any]) -> dict[str, Any]:
    """The cleaned values of the tracked fields that really change."""
    cleaners = {
        "status": _clean_status,
        "current_impact": lambda v: clean_impact(v, "current_impact"),
        "potential_impact": lambda v: clean_impact(v, "potential_impact"),
        "likelihood": _clean_likelihood,
    }
    moved = {}
    for field in TRACKED:
        if field in changes:
            value = cleaners[field](changes[field])
            if value != getattr(risk, field):
                moved[field] = value
    return moved


def _edit_plain(risk: Risk, changes: dict[str, Any]) -> list[str]:
    """Apply the text, owner and links; the names of those that changed."""
    edited = []
    if "title" in changes:
        title = clean_title(changes["title"])
        if title != risk.title:
            risk.title = title
            edited.append("title")
    for section in SECTIONS:
        if section in changes:
            text = clean_text(changes[section], section)
            if text != getattr(risk, section):
                setattr(risk, section, text)
                edited.append(section)
    if "owner" in changes:
        owner = clean_owner(changes["owner"])
        if owner != risk.owner:
            risk.owner = owner
            edited.append("owner")
    for field in ("services", "incidents"):
        if changes.get(field) is not None:
            manager = getattr(risk, field)
            if {item.pk for item in manager.all()} != {item.pk for item in changes[field]}:
                manager.set(changes[field])
                edited.append(field)
    return edited


@transaction.atomic
def update_risk(actor: User | None, risk: Risk, changes: dict[str, Any]) -> Risk:
    """Apply a partial edit (keys as create_risk). Each change of status, current or potential
    impact or likelihood is kept in the history with `reason`; a new status moves the next
    visit to its default unless next_visit is given too."""
    _check_keys(changes)
    if changes.get("incidents") is not None:
        # Links to private incidents the actor cannot see are not theirs to drop.
        hidden = risk.incidents.exclude(pk__in=visible_incidents(actor).values("pk"))
        changes["incidents"] = [*changes["incidents"], *hidden]
    _clean_links(changes)
    risk = Risk.objects.select_for_update().get(pk=risk.pk)
    before = snapshot(risk)
    reason = clean_text(changes.get("reason"), "reason", REASON_MAX)
    moved = _tracked(risk, changes)
    status = moved.get("status", risk.status)
    next_visit = risk.next_visit
    if changes.get("next_visit") is not None:
        next_visit = _check_next_visit(status, changes["next_visit"])
    elif "status" in moved or status == Status.DONE:
        next_visit = scoring.default_next_visit(status, queries.today())
    edited = _edit_plain(risk, changes)
    for field, value in moved.items():
        _log(risk, actor, field, reason, previous=getattr(risk, field), value=value)
        setattr(risk, field, value)
    if next_visit != risk.next_visit:
        _log(
            risk,
            actor,
            "next_visit",
            reason,
            previous=_iso(risk.next_visit),
            value=_iso(next_visit),
        )
        risk.next_visit = next_visit
    if edited:
        _log(risk, actor, "edited", value=edited)
    risk.priority = scoring.priority(risk.potential_impact, risk.likelihood)
    risk.updated_at = clock.now()
    risk.save()
    after = snapshot(risk)
    if after != before:
        record_audit(actor, "risk.update", risk, before=before, after=after)
        publish(events.RiskChanged(risk.pk, actor.pk if actor else None))
    return queries.get_risk(risk.pk)


@transaction.atomic
def visit_risk(actor: User | None, risk: Risk, note: Any, next_visit: Any = None) -> Risk:
    """Record a visit: what was checked (`note`, required) and the next visit (left out: the
    status's default from today)."""
    risk = Risk.objects.select_for_update().get(pk=risk.pk)
    if not risk.is_open:
        raise Conflict(_("This risk is done; reopen it (change its status) to visit it again."))
    text = clean_text(note, "note")
    if not text:
        raise InvalidInput(_("Say what you checked (note): it is kept in the history."))
    before = snapshot(risk)
    if next_visit is None:
        day = scoring.default_next_visit(risk.status, queries.today())
    else:
        day = _check_next_visit(risk.status, next_visit)
    _log(risk, actor, "visit", text, previous=_iso(risk.next_visit), value=_iso(day))
    risk.next_visit = day
    risk.updated_at = clock.now()
    risk.save()
    record_audit(actor, "risk.visit", risk, before=before, after=snapshot(risk))
    return queries.get_risk(risk.pk)
