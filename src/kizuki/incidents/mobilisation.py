"""Who a report or a declaration mobilises, and the settings that say so.

- A report (web, e-mail, API, Slack: all through actions.report_incident) pages the escalation
  policy of each service it names, or the admin's triage policy when none of them has one.
- Declaring at a severity that pages all key people pages the admin's list of key people
  (people, teams, an escalation policy), optionally only outside business hours (weekdays,
  business_day_start to business_day_end in TIME_ZONE, not on a Japanese holiday).
- Assigning a role tells the person through their notification rules (not a page).
Drills never page anyone. Paging runs in the reporting action's transaction (the subscribers
are IN_TRANSACTION), so the page is queued with the report or not at all."""

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import holidays
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from kizuki.accounts.models import Team, User
from kizuki.core import clock
from kizuki.core.actions import record_audit
from kizuki.core.errors import InvalidInput
from kizuki.incidents import events
from kizuki.incidents.models import Incident, RoleType
from kizuki.incidents.paging_models import IncidentPaging, PagingSettings
from kizuki.notify.actions import tell
from kizuki.oncall import actions as oncall
from kizuki.oncall.models import Escalation, EscalationPolicy


def paging_settings() -> PagingSettings:
    """The organisation's paging settings (created with the defaults on first use)."""
    found = PagingSettings.objects.order_by("pk").first()
    return found if found is not None else PagingSettings.objects.create()


def describe_settings(found: PagingSettings) -> dict[str, Any]:
    """The settings as plain JSON values (the API's answer and the audit record)."""
    return {
        "triage_policy": found.triage_policy_id,
        "key_people": sorted(found.key_people.values_list("username", flat=True)),
        "key_teams": sorted(found.key_teams.values_list("slug", flat=True)),
        "key_policy": found.key_policy_id,
        "key_people_out_of_hours_only": found.key_people_out_of_hours_only,
        "business_day_start": found.business_day_start.strftime("%H:%M"),
        "business_day_end": found.business_day_end.strftime("%H:%M"),
    }


def _policy(policy_id: Any) -> EscalationPolicy | None:
    if policy_id is None:
        return None
    found = EscalationPolicy.objects.filter(pk=policy_id).first()
    if found is None:
        raise InvalidInput(_("Unknown escalation policy %(id)s.") % {"id": policy_id})
    return found


def _all_named(model: type[User] | type[Team], field: str, names: list[str]) -> list[Any]:
    found = {getattr(item, field): item for item in model.objects.filter(**{f"{field}__in": names})}
    missing = [name for name in names if name not in found]
    if missing:
        raise InvalidInput(_("Unknown: %(names)s.") % {"names": ", ".join(missing)})
    return [found[name] for name in names]


@transaction.atomic
def update_paging_settings(actor: User | None, changes: dict[str, Any]) -> PagingSettings:
    """Change some of the settings (keys as in describe_settings; people by username, teams
    by slug, policies by id, times as datetime.time). Audited."""
    found = PagingSettings.objects.select_for_update().get(pk=paging_settings().pk)
    before = describe_settings(found)
    if "triage_policy" in changes:
        found.triage_policy = _policy(changes["triage_policy"])
    if "key_policy" in changes:
        found.key_policy = _policy(changes["key_policy"])
    if changes.get("key_people_out_of_hours_only") is not None:
        found.key_people_out_of_hours_only = bool(changes["key_people_out_of_hours_only"])
    for field in ("business_day_start", "business_day_end"):
        if changes.get(field) is not None:
            if changes[field].tzinfo is not None:
                # Business hours are wall-clock times in TIME_ZONE, whatever the season.
                raise InvalidInput(
                    _("Give business hours as local times without a zone, e.g. 09:00.")
                )
            setattr(found, field, changes[field])
    if found.business_day_start >= found.business_day_end:
        raise InvalidInput(_("Business hours must end after they start."))
    found.save()
    if changes.get("key_people") is not None:
        found.key_people.set(_all_named(User, "username", list(changes["key_people"])))
    if changes.get("key_teams") is not None:
        found.key_teams.set(_all_named(Team, "slug", list(changes["key_teams"])))
    record_audit(
        actor, "paging_settings.update", found, before=before, after=describe_settings(found)
    )
    return found


def in_business_hours(at: datetime, found: PagingSettings) -> bool:
    """Whether `at` is in business hours: a weekday that is no Japanese holiday, between the
    start and end times, in the organisation's time zone (TIME_ZONE)."""
    local = at.astimezone(ZoneInfo(settings.TIME_ZONE))
    if local.weekday() >= 5 or local.date() in holidays.country_holidays("JP"):
        return False
    return found.business_day_start <= local.time() < found.business_day_end


def _link(incident: Incident) -> str:
    return str(settings.KIZUKI_BASE_URL) + reverse("incident-detail", args=[incident.ref])


def _record(incident: Incident, escalation: Escalation | None, reason: str) -> None:
    if escalation is not None:
        IncidentPaging.objects.create(incident=incident, escalation=escalation, reason=reason)


def page_on_report(event: events.IncidentReported) -> None:
    """IN_TRANSACTION: page the on-call of each service the report names (each policy once),
    else the triage policy. Nothing for a drill, nothing when no policy is set."""
    incident = Incident.objects.get(pk=event.incident_id)
    if incident.is_drill or not event.page_on_call:
        return
    chosen: dict[int, EscalationPolicy] = {}
    for service in incident.services.select_related("escalation_policy").order_by("name"):
        if service.escalation_policy is not None:
            chosen.setdefault(service.escalation_policy.pk, service.escalation_policy)
    if not chosen:
        triage = paging_settings().triage_policy
        if triage is not None:
            chosen[triage.pk] = triage
    for policy in chosen.values():
        if not policy.steps.exists():
            continue
        escalation = oncall.start_escalation(
            policy,
            f"{incident.ref} {incident.title}",
            summary=incident.description[:2000],
            link=_link(incident),
        )
        _record(incident, escalation, IncidentPaging.Reason.REPORT)


def page_key_people(event: events.IncidentDeclared) -> None:
    """IN_TRANSACTION: on declaring at a severity that pages all key people, page them (only
    outside business hours if the settings say so). Nothing for a drill."""
    incident = Incident.objects.select_related("severity").get(pk=event.incident_id)
    severity = incident.severity
    if incident.is_drill or severity is None or not severity.page_all_key_people:
        return
    found = paging_settings()
    if found.key_people_out_of_hours_only and in_business_hours(clock.now(), found):
        return
    with translation.override(settings.LANGUAGE_CODE):
        title = _("%(severity)s declared: %(ref)s %(title)s") % {
            "severity": severity.label,
            "ref": incident.ref,
            "title": incident.title,
        }
        name = _("Key people")
    escalation = oncall.page_people(
        title,
        list(found.key_people.filter(is_active=True)),
        list(found.key_teams.all()),
        summary=incident.description[:2000],
        link=_link(incident),
        name=name,
    )
    _record(incident, escalation, IncidentPaging.Reason.KEY_PEOPLE)
    policy = found.key_policy
    if policy is not None and policy.steps.exists():
        escalation = oncall.start_escalation(
            policy, title, incident.description[:2000], _link(incident)
        )
        _record(incident, escalation, IncidentPaging.Reason.KEY_PEOPLE)


def tell_role_holder(event: events.RoleAssigned) -> None:
    """AFTER_COMMIT (in the worker): tell the person their new role, in their language."""
    person = User.objects.filter(pk=event.user_id, is_active=True).first()
    incident = Incident.objects.filter(pk=event.incident_id).first()
    role = RoleType.objects.filter(slug=event.role).first()
    if person is None or incident is None or role is None or event.actor_id == person.pk:
        return
    with translation.override(person.language or settings.LANGUAGE_CODE):
        values = {"role": role.name, "ref": incident.ref, "title": incident.title}
        subject = _("You are now %(role)s of %(ref)s") % values
        body = "\n\n".join(
            [
                _("You were assigned the role %(role)s on %(ref)s “%(title)s”.") % values,
                _link(incident),
            ]
        )
    tell(person, subject, body)


def people_reached(incident: Incident, reason: str = IncidentPaging.Reason.REPORT) -> list[User]:
    """The people the incident's escalations (for `reason`) page first, each once."""
    found: dict[int, User] = {}
    for paging in IncidentPaging.objects.filter(incident=incident, reason=reason).select_related(
        "escalation"
    ):
        for person in oncall.people_paged(paging.escalation):
            found.setdefault(person.pk, person)
    return list(found.values())
