"""Who a report or a declaration mobilises, and the settings that say so.

- A report (web, e-mail, API, Slack: all through actions.report_incident) pages the escalation
  policy of each service it names, or the admin's triage policy when none of them has one.
- Declaring at a severity that pages all key people pages the admin's list of key people
  (people, teams, an escalation policy), optionally only outside business hours (weekdays,
  business_day_start to business_day_end in TIME_ZONE, not on a Japanese holiday).
- Assigning a role tells the person through their notification rules (not a page).
A drill pages only the on-call of its own services' policies, with "[Drill]" in the title:
never the triage policy, never the key people. Paging runs in the reporting action's
transaction (the subscribers are IN_TRANSACTION), so the page is queued with the report or
not at all, and so is the timeline entry saying whom it paged (or why nobody)."""

from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

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
from kizuki.incidents.journal import log_change
from kizuki.incidents.models import Incident, RoleType
from kizuki.incidents.paging_models import IncidentPaging, PagingSettings
from kizuki.notify.actions import tell
from kizuki.oncall import actions as oncall
from kizuki.oncall.models import Escalation, EscalationPolicy
from kizuki.schedules.rotation import is_jp_holiday


def paging_settings() -> PagingSettings:
    """The organisation's paging settings: the saved row, else the defaults (not saved:
    reading never writes; update_paging_settings saves the row)."""
    found = PagingSettings.objects.order_by("pk").first()
    return found if found is not None else PagingSettings()


def key_people(found: PagingSettings) -> list[User]:
    return list(found.key_people.order_by("username")) if found.pk else []


def key_teams(found: PagingSettings) -> list[Team]:
    return list(found.key_teams.order_by("name")) if found.pk else []


def describe_settings(found: PagingSettings) -> dict[str, Any]:
    """The settings as plain JSON values (the API's answer and the audit record)."""
    return {
        "triage_policy": found.triage_policy_id,
        "key_people": sorted(person.username for person in key_people(found)),
        "key_teams": sorted(team.slug for team in key_teams(found)),
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
    if not PagingSettings.objects.exists():
        PagingSettings.objects.get_or_create(pk=1)  # the first change saves the row
    found = PagingSettings.objects.select_for_update().order_by("pk").first()
    assert found is not None
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
    if local.weekday() >= 5 or is_jp_holiday(local.date()):
        return False
    return found.business_day_start <= local.time() < found.business_day_end


def _link(incident: Incident) -> str:
    return str(settings.KIZUKI_BASE_URL) + reverse("incident-detail", args=[incident.ref])


def _record(incident: Incident, escalation: Escalation | None, reason: str) -> None:
    if escalation is not None:
        IncidentPaging.objects.create(incident=incident, escalation=escalation, reason=reason)


def record_paging(incident: Incident, escalation: Escalation | None) -> None:
    """Paging for the incident started elsewhere (an automation rule): the people it pages
    are among its participants (incidents.visibility), like those its own paging reaches."""
    _record(incident, escalation, IncidentPaging.Reason.KEY_PEOPLE)


def _paging_set_up() -> bool:
    """Whether the organisation pages through Kizuki at all: without any escalation policy or
    saved paging settings, "nobody could be paged" on every incident would only be noise
    (the reporter's thank-you page still says nobody was paged, and whom to call)."""
    return EscalationPolicy.objects.exists() or PagingSettings.objects.exists()


def _log(incident: Incident, event: str, **data: Any) -> None:
    """The timeline entry saying whom Kizuki paged (Kizuki acted: no author); worded by
    paging_text in the reader's language."""
    log_change(incident, None, event, **data)


def _usernames(escalation: Escalation) -> list[str]:
    return [person.username for person in oncall.people_paged(escalation)]


def _drill_title(title: str) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return _("[Drill] %(title)s") % {"title": title}


def _summary(incident: Incident) -> str:
    if not incident.is_drill:
        return incident.description[:2000]
    with translation.override(settings.LANGUAGE_CODE):
        note = _("This is a drill: practise the response, nothing needs fixing.")
    return f"{note}\n\n{incident.description}"[:2000]


def _report_policies(
    incident: Incident,
) -> tuple[dict[int, EscalationPolicy], dict[int, list[str]]]:
    """The policies of the services the report names (each once), with those services' names."""
    chosen: dict[int, EscalationPolicy] = {}
    names: dict[int, list[str]] = {}
    for service in incident.services.select_related("escalation_policy").order_by("name"):
        if service.escalation_policy is not None:
            chosen.setdefault(service.escalation_policy.pk, service.escalation_policy)
            names.setdefault(service.escalation_policy.pk, []).append(service.name)
    return chosen, names


def page_on_report(event: events.IncidentReported) -> None:
    """IN_TRANSACTION: page the on-call of each service the report names (each policy once),
    else the triage policy; a drill only its services' on-call. Each page, or why nobody was
    paged, goes on the timeline."""
    incident = Incident.objects.get(pk=event.incident_id)
    if not event.page_on_call:
        return  # an alert that pages by itself filed it (and writes its own timeline)
    chosen, services = _report_policies(incident)
    triage = None if chosen or incident.is_drill else paging_settings().triage_policy
    if triage is not None:
        chosen[triage.pk] = triage
    title = f"{incident.ref} {incident.title}"
    said = False  # the timeline says whom this report paged, or why nobody
    for policy in chosen.values():
        said = True
        if not policy.steps.exists():
            _log(incident, "nobody_paged", reason="no_steps", policy=policy.name)
            continue
        escalation = oncall.start_escalation(
            policy,
            _drill_title(title) if incident.is_drill else title,
            summary=_summary(incident),
            link=_link(incident),
        )
        _record(incident, escalation, IncidentPaging.Reason.REPORT)
        _log(
            incident,
            "paged_on_call",
            policy=policy.name,
            services=services.get(policy.pk, []),
            people=_usernames(escalation),
        )
    if not said and _paging_set_up():
        _log(
            incident, "nobody_paged", reason="drill_no_policy" if incident.is_drill else "no_policy"
        )


# Higher apps add people to page as key people on a big declaration (areas: the area leads
# and their deputies) from AppConfig.ready(): each source answers (incident) -> people.
KeyPeopleSource = Callable[[Incident], list[User]]
key_people_sources: list[KeyPeopleSource] = []


def add_key_people_source(source: KeyPeopleSource) -> None:
    """Page the people `source` names too whenever key people are paged (adding twice keeps
    one)."""
    if source not in key_people_sources:
        key_people_sources.append(source)


def _all_key_people(incident: Incident, found: PagingSettings) -> list[User]:
    """The settings' key people, then those the sources add: each active person once."""
    people: dict[int, User] = {}
    added = [person for source in key_people_sources for person in source(incident)]
    for person in key_people(found) + added:
        if person.is_active:
            people.setdefault(person.pk, person)
    return list(people.values())


def _skip_key_people(incident: Incident, found: PagingSettings) -> str:
    """Why the key people are not paged now ("" when they are)."""
    if incident.is_drill:
        return "drill"
    if found.key_people_out_of_hours_only and in_business_hours(clock.now(), found):
        return "business_hours"
    return ""


def page_key_people(event: events.IncidentDeclared) -> None:
    """IN_TRANSACTION: on declaring at a severity that pages all key people, page them (only
    outside business hours if the settings say so; never for a drill), and say so on the
    timeline."""
    incident = Incident.objects.select_related("severity").get(pk=event.incident_id)
    severity = incident.severity
    if severity is None or not severity.page_all_key_people:
        return
    found = paging_settings()
    skipped = _skip_key_people(incident, found)
    if skipped:
        _log(incident, "key_people_not_paged", reason=skipped)
        return
    with translation.override(settings.LANGUAGE_CODE):
        title = _("%(severity)s declared: %(ref)s %(title)s") % {
            "severity": severity.label,
            "ref": incident.ref,
            "title": incident.title,
        }
        name = _("Key people")
    people = _all_key_people(incident, found)
    teams = key_teams(found)
    escalation = oncall.page_people(
        title, people, teams, summary=_summary(incident), link=_link(incident), name=name
    )
    _record(incident, escalation, IncidentPaging.Reason.KEY_PEOPLE)
    reached = _usernames(escalation) if escalation is not None else []
    policy = found.key_policy
    if policy is not None and not policy.steps.exists():
        policy = None
    if policy is not None:
        escalation = oncall.start_escalation(policy, title, _summary(incident), _link(incident))
        _record(incident, escalation, IncidentPaging.Reason.KEY_PEOPLE)
        reached += [username for username in _usernames(escalation) if username not in reached]
    if people or teams or policy is not None:
        _log(
            incident,
            "paged_key_people",
            people=reached,
            teams=[team.name for team in teams],
            policy=policy.name if policy else "",
        )
    elif _paging_set_up():
        _log(incident, "key_people_not_paged", reason="none_set")


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
