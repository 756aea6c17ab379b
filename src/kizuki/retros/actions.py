"""The write path for retrospective documents: requiring one (or recording that none is
needed), starting it pre-filled from the incident, editing it (each text change is a
version), and moving it through draft → in review → published. Each action is one
transaction that locks the retrospective's row, writes the audit log and publishes its
event (retros.events). Reviews and comments live in review_actions."""

from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from kizuki.accounts.models import User
from kizuki.core import clock
from kizuki.core.actions import record_audit
from kizuki.core.errors import Conflict, InvalidInput
from kizuki.core.events import publish
from kizuki.incidents import privacy_actions
from kizuki.incidents.access import can_see
from kizuki.incidents.events import PrivacyChanged
from kizuki.incidents.models import Incident
from kizuki.retros import events, queries
from kizuki.retros.defaults import DEFAULT_DUE_DAYS
from kizuki.retros.models import (
    RetroSection,
    Retrospective,
    RetroStatus,
    RetroVersion,
)
from kizuki.retros.prefill import prefill

# Longest Markdown a section (or the stakeholder summary) may hold.
MAX_TEXT = 100_000

# Which status each status may move to.
MOVES: dict[str, list[str]] = {
    RetroStatus.DRAFT: [RetroStatus.IN_REVIEW],
    RetroStatus.IN_REVIEW: [RetroStatus.PUBLISHED, RetroStatus.DRAFT],
    RetroStatus.PUBLISHED: [RetroStatus.DRAFT],
}


def _id(user: User | None) -> int | None:
    return user.pk if user else None


def _at(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _snapshot(retro: Retrospective) -> dict[str, Any]:
    return {
        "incident": retro.incident.ref,
        "status": retro.status,
        "template": retro.template.key if retro.template else None,
        "owner": retro.owner.username if retro.owner else None,
        "required": retro.required,
        "due_at": _at(retro.due_at),
        "not_needed_reason": retro.not_needed_reason,
        "version": retro.version,
    }


def lock_row(incident: Incident) -> Retrospective:
    """The incident's retrospective row, locked until commit; created (not started) when
    there is none yet. Two callers creating it at once: the loser reads the winner's row."""
    retro = Retrospective.objects.select_for_update().filter(incident=incident).first()
    if retro is not None:
        return retro
    now = clock.now()
    try:
        with transaction.atomic():
            Retrospective.objects.create(incident=incident, created_at=now, updated_at=now)
    except IntegrityError:
        pass
    return (
        Retrospective.objects.select_for_update().select_related("incident").get(incident=incident)
    )


def _lock(retro: Retrospective) -> Retrospective:
    return (
        Retrospective.objects.select_for_update(of=("self",))
        .select_related("incident", "template", "owner")
        .get(pk=retro.pk)
    )


def _check_zone(moment: datetime | None) -> None:
    if moment is not None and moment.tzinfo is None:
        raise InvalidInput(_("Give the time with its time zone, e.g. 2026-11-25T10:00:00+09:00."))


def _save_version(retro: Retrospective, actor: User | None, changed: list[str]) -> RetroVersion:
    retro.version += 1
    snapshot = {
        "sections": [{"key": s.key, "title": s.title, "body": s.body} for s in retro.sections.all()]
    }
    return RetroVersion.objects.create(
        retro=retro,
        number=retro.version,
        author=actor,
        created_at=clock.now(),
        changed=changed,
        snapshot=snapshot,
    )


def policy_due_at(incident: Incident) -> datetime | None:
    """When a retrospective required now is due: the severity's days after resolving."""
    if incident.resolved_at is None:
        return None
    days = (
        queries.severity_policy(incident.severity.level).due_days
        if incident.severity
        else DEFAULT_DUE_DAYS
    )
    return incident.resolved_at + timedelta(days=days)


@transaction.atomic
def require_retrospective(
    actor: User | None, incident: Incident, due_at: datetime | None = None
) -> Retrospective:
    """Make the incident's retrospective required. The due date: the one given, else the
    one it has, else the severity's policy counted from resolving (None while open)."""
    _check_zone(due_at)
    retro = lock_row(incident)
    before = _snapshot(retro)
    retro.required = True
    retro.not_needed_reason = ""
    retro.decided_by = actor
    retro.due_at = due_at or retro.due_at or policy_due_at(incident)
    retro.updated_at = clock.now()
    retro.save()
    record_audit(actor, "retrospective.require", retro, before=before, after=_snapshot(retro))
    publish(events.RetrospectiveRequired(retro.pk, incident.pk, _id(actor), _at(retro.due_at)))
    return retro


@transaction.atomic
def record_not_needed(actor: User | None, incident: Incident, reason: str) -> Retrospective:
    """Record that this incident needs no retrospective, and why."""
    reason = reason.strip()
    if not reason:
        raise InvalidInput(_("Say why no retrospective is needed."))
    retro = lock_row(incident)
    if retro.started:
        raise Conflict(
            _("%(ref)s's retrospective is already started; it cannot be marked as not needed.")
            % {"ref": incident.ref}
        )
    before = _snapshot(retro)
    retro.required = False
    retro.due_at = None
    retro.not_needed_reason = reason
    retro.decided_by = actor
    retro.updated_at = clock.now()
    retro.save()
    record_audit(actor, "retrospective.not_needed", retro, before=before, after=_snapshot(retro))
    publish(events.RetrospectiveNotNeeded(retro.pk, incident.pk, _id(actor), reason))
    return retro


@transaction.atomic
def start_retrospective(
    actor: User | None, incident: Incident, template_key: str | None = None
) -> Retrospective:
    """Create the document from a template, each section pre-filled from the incident in the
    active language. None: the default template for the incident's team or severity."""
    if template_key is None:
        template = queries.default_template_for(incident)
    else:
        template = queries.get_template(template_key)
        if template.retired:
            raise InvalidInput(
                _("The template %(key)s is retired; choose another.") % {"key": template.key}
            )
    retro = lock_row(incident)
    if retro.started:
        raise Conflict(
            _("%(ref)s already has a retrospective (%(status)s).")
            % {"ref": incident.ref, "status": RetroStatus(retro.status).label}
        )
    before = _snapshot(retro)
    now = clock.now()
    retro.template = template
    retro.status = RetroStatus.DRAFT
    retro.language = "ja" if (get_language() or "").startswith("ja") else "en"
    retro.owner = retro.owner or actor
    retro.started_at = retro.updated_at = now
    retro.started_by = actor
    retro.save()
    for position, section in enumerate(template.sections.all(), start=1):
        RetroSection.objects.create(
            retro=retro,
            key=section.key,
            title=section.title,
            body=prefill(incident, actor, list(section.prefill)),
            purpose=section.purpose,
            asks_evidence=section.asks_evidence,
            position=position,
            updated_at=now,
        )
    _save_version(retro, actor, [s.key for s in template.sections.all()])
    retro.save(update_fields=["version"])
    record_audit(actor, "retrospective.start", retro, before=before, after=_snapshot(retro))
    publish(events.RetrospectiveStarted(retro.pk, incident.pk, _id(actor), template.key))
    return retro


def _clean_text(key: str, text: Any) -> str:
    if not isinstance(text, str):
        raise InvalidInput(_("The text of %(key)s must be a string.") % {"key": key})
    if len(text) > MAX_TEXT:
        raise InvalidInput(
            _("The text of %(key)s may be at most %(max)s characters.")
            % {"key": key, "max": MAX_TEXT}
        )
    return text.replace("\r\n", "\n")


def _write_sections(
    retro: Retrospective, actor: User | None, texts: dict[str, Any], *, drafted: bool
) -> list[str]:
    """Set section texts; returns the keys whose text changed."""
    if retro.status == RetroStatus.PUBLISHED:
        raise Conflict(_("The retrospective is published; reopen it to change its text."))
    by_key = {s.key: s for s in retro.sections.all()}
    unknown = sorted(set(texts) - set(by_key))
    if unknown:
        raise InvalidInput(
            _("No section %(keys)s; the sections are %(known)s.")
            % {"keys": ", ".join(unknown), "known": ", ".join(by_key)}
        )
    changed = []
    for key, text in texts.items():
        section, body = by_key[key], _clean_text(key, text)
        if section.body == body and section.drafted == drafted:
            continue
        if section.body != body:
            changed.append(key)
        section.body, section.drafted = body, drafted
        section.updated_at, section.updated_by = clock.now(), actor
        section.save(update_fields=["body", "drafted", "updated_at", "updated_by"])
    return changed


@transaction.atomic
def update_retrospective(
    actor: User | None, retro: Retrospective, changes: dict[str, Any]
) -> Retrospective:
    """Apply a partial edit. Keys: `sections` ({key: Markdown}), `owner` (User or None),
    `due_at` (aware datetime or None), `stakeholder_summary` (Markdown). A person's edit
    clears the AI's `drafted` mark on the sections it sets."""
    retro = _lock(retro)
    unknown = sorted(set(changes) - {"sections", "owner", "due_at", "stakeholder_summary"})
    if unknown:
        raise InvalidInput(_("%(field)s cannot be edited.") % {"field": ", ".join(unknown)})
    before = _snapshot(retro)
    fields: list[str] = []
    if changes.get("sections"):
        fields += _write_sections(retro, actor, changes["sections"], drafted=False)
    if fields:
        _save_version(retro, actor, list(fields))
    if "owner" in changes and changes["owner"] != retro.owner:
        retro.owner = changes["owner"]
        fields.append("owner")
        if retro.owner is not None and not can_see(retro.owner, retro.incident):
            # Its owner must be able to open it (and be reminded): on a private incident
            # they become a participant, on the record, as a follow-up's owner does.
            privacy_actions.add_participant(actor, retro.incident, retro.owner)
    if "due_at" in changes and changes["due_at"] != retro.due_at:
        _check_zone(changes["due_at"])
        retro.due_at = changes["due_at"]
        fields.append("due_at")
    if "stakeholder_summary" in changes:
        summary = _clean_text("stakeholder_summary", changes["stakeholder_summary"] or "")
        if summary != retro.stakeholder_summary:
            retro.stakeholder_summary = summary
            fields.append("stakeholder_summary")
    if not fields:
        return retro
    retro.updated_at = clock.now()
    retro.save()
    record_audit(actor, "retrospective.edit", retro, before=before, after=_snapshot(retro))
    publish(
        events.RetrospectiveEdited(retro.pk, retro.incident_id, _id(actor), fields, retro.version)
    )
    return retro


@transaction.atomic
def accept_draft(actor: User | None, retro: Retrospective, key: str, text: str) -> RetroSection:
    """Keep the text the AI proposed for a section: saved as a version and marked drafted
    until a person edits the section."""
    retro = _lock(retro)
    changed = _write_sections(retro, actor, {key: text}, drafted=True)
    if changed:
        _save_version(retro, actor, changed)
    retro.updated_at = clock.now()
    retro.save()
    record_audit(actor, "retrospective.accept_draft", retro, after={"section": key})
    if changed:
        publish(
            events.RetrospectiveEdited(
                retro.pk, retro.incident_id, _id(actor), changed, retro.version
            )
        )
    return retro.sections.get(key=key)


STATUS_EVENTS: dict[tuple[str, str], type[events.RetrospectiveStatusChanged]] = {
    (RetroStatus.DRAFT, RetroStatus.IN_REVIEW): events.RetrospectiveSubmitted,
    (RetroStatus.IN_REVIEW, RetroStatus.PUBLISHED): events.RetrospectivePublished,
    (RetroStatus.PUBLISHED, RetroStatus.DRAFT): events.RetrospectiveReopened,
}


@transaction.atomic
def transition_retrospective(actor: User | None, retro: Retrospective, to: str) -> Retrospective:
    """Move the document: draft → in_review → published; in_review → draft (withdrawn);
    published → draft (reopened)."""
    retro = _lock(retro)
    targets = [RetroStatus.IN_REVIEW, RetroStatus.PUBLISHED, RetroStatus.DRAFT]
    if to not in targets:
        raise InvalidInput(
            _("Unknown status %(to)s; use one of %(names)s.")
            % {"to": to, "names": ", ".join(targets)}
        )
    allowed = MOVES.get(retro.status, [])
    if to not in allowed:
        raise Conflict(
            _("The retrospective is %(status)s and cannot move to %(to)s; allowed: %(allowed)s.")
            % {
                "status": RetroStatus(retro.status).label,
                "to": to,
                "allowed": ", ".join(allowed) or _("nothing"),
            }
        )
    if to == RetroStatus.PUBLISHED and (blocker := queries.publish_blocker(retro)):
        raise Conflict(blocker)
    before = _snapshot(retro)
    previous = retro.status
    retro.status = to
    retro.updated_at = clock.now()
    retro.published_at = retro.updated_at if to == RetroStatus.PUBLISHED else None
    retro.save()
    record_audit(actor, f"retrospective.{to}", retro, before=before, after=_snapshot(retro))
    event = STATUS_EVENTS.get((previous, to), events.RetrospectiveStatusChanged)
    publish(event(retro.pk, retro.incident_id, _id(actor), previous, to))
    return retro


def keep_owner_on_private(event: PrivacyChanged) -> None:
    """An incident made private keeps its retrospective's owner on it: they become a
    participant (on the record), as when chosen as owner of a private incident's one."""
    if not event.private:
        return
    retro = (
        Retrospective.objects.filter(incident_id=event.incident_id, owner__isnull=False)
        .select_related("owner", "incident")
        .first()
    )
    if retro is None or retro.owner is None or not retro.owner.is_active:
        return
    if not can_see(retro.owner, retro.incident):
        actor = User.objects.filter(pk=event.actor_id).first() if event.actor_id else None
        privacy_actions.add_participant(actor, retro.incident, retro.owner)
