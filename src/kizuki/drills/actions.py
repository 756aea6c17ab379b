"""The only write path for drills: scenarios, starting a drill (a real drill incident, through
the incidents actions, so paging, the channel, roles, checklists, automation and the
retrospective happen through their own subscriptions), injecting its timed events when the
worker finds them due, and test pages through the real paging path."""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from kizuki.accounts import queries as accounts
from kizuki.accounts.models import User
from kizuki.catalog import queries as catalog
from kizuki.core import clock
from kizuki.core.actions import record_audit
from kizuki.core.errors import Conflict, InvalidInput, NotFound
from kizuki.drills import queries
from kizuki.drills.models import Drill, InjectedEvent, InjectKind, Scenario, TargetType, TestPage
from kizuki.incidents import actions as incidents
from kizuki.incidents import queries as incident_queries
from kizuki.incidents import timeline_actions
from kizuki.incidents.models import Incident, Status
from kizuki.oncall import actions as oncall
from kizuki.oncall import queries as oncall_queries
from kizuki.oncall.events import EscalationAcknowledged
from kizuki.oncall.models import Escalation
from kizuki.schedules import queries as schedules

FAKE_ALERTS_MAX = 20
EVENTS_MAX = 50
OFFSET_MAX_MINUTES = 7 * 24 * 60
TEXT_MAX = 2000
# Timeline entries the drills app writes (worded by drills.timeline_text).
INJECTED = "drill_injected"
ACK_SALT = "kizuki.drills.test_page_ack"
ACK_LINK_DAYS = 7
# An injected event on an incident in one of these states is skipped, not run.
OVER = {Status.RESOLVED, Status.CLOSED, Status.FALSE_ALARM}


# Scenarios --------------------------------------------------------------------------------


def _text(value: Any, field: str, limit: int, *, required: bool) -> str:
    text = str(value or "").strip()
    if required and not text:
        raise InvalidInput(_("%(field)s may not be empty.") % {"field": field})
    if len(text) > limit:
        raise InvalidInput(
            _("%(field)s may be at most %(limit)s characters.") % {"field": field, "limit": limit}
        )
    return text


def _level(value: Any) -> int:
    levels = [severity.level for severity in incident_queries.severities()]
    if isinstance(value, bool) or value not in levels:
        raise InvalidInput(
            _("Unknown severity %(level)s; use one of %(levels)s.")
            % {"level": value, "levels": ", ".join(str(level) for level in levels)}
        )
    return int(value)


def _fake_alerts(items: Any) -> list[dict[str, str]]:
    if len(items) > FAKE_ALERTS_MAX:
        raise InvalidInput(
            _("A scenario may have at most %(count)s fake alerts.") % {"count": FAKE_ALERTS_MAX}
        )
    return [
        {
            "title": _text(item.get("title"), "title", 200, required=True),
            "details": _text(item.get("details"), "details", TEXT_MAX, required=False),
        }
        for item in items
    ]


def _events(items: Any) -> list[dict[str, Any]]:
    if len(items) > EVENTS_MAX:
        raise InvalidInput(
            _("A scenario may have at most %(count)s timed events.") % {"count": EVENTS_MAX}
        )
    cleaned = []
    for item in items:
        kind = item.get("kind")
        if kind not in InjectKind.values:
            raise InvalidInput(
                _("Unknown event kind %(kind)s; use one of %(kinds)s.")
                % {"kind": kind, "kinds": ", ".join(InjectKind.values)}
            )
        offset = item.get("offset_minutes")
        if isinstance(offset, bool) or not isinstance(offset, int):
            raise InvalidInput(_("offset_minutes must be a whole number of minutes."))
        if not 0 <= offset <= OFFSET_MAX_MINUTES:
            raise InvalidInput(
                _("offset_minutes must be between 0 and %(max)s.") % {"max": OFFSET_MAX_MINUTES}
            )
        severity = _level(item.get("severity")) if kind == InjectKind.SEVERITY else None
        text = _text(item.get("text"), "text", TEXT_MAX, required=kind != InjectKind.SEVERITY)
        cleaned.append({"offset_minutes": offset, "kind": kind, "text": text, "severity": severity})
    return sorted(cleaned, key=lambda event: int(event["offset_minutes"]))


def describe_scenario(scenario: Scenario) -> dict[str, Any]:
    """The scenario as plain JSON values (the audit record)."""
    return {
        "title": scenario.title,
        "description": scenario.description,
        "severity": scenario.severity,
        "team": scenario.team.slug if scenario.team else None,
        "services": sorted(service.slug for service in scenario.services.all()),
        "fake_alerts": scenario.fake_alerts,
        "events": scenario.events,
    }


def _apply(scenario: Scenario, data: dict[str, Any]) -> list[Any] | None:
    """Set the fields present in `data` on the scenario; the services to set, if given."""
    if "title" in data:
        scenario.title = _text(data["title"], "title", 200, required=True)
    if "description" in data:
        scenario.description = _text(data["description"], "description", 5000, required=False)
    if "severity" in data:
        scenario.severity = _level(data["severity"])
    if "team" in data:
        scenario.team = accounts.get_team(data["team"]) if data["team"] else None
    if "fake_alerts" in data:
        scenario.fake_alerts = _fake_alerts(data["fake_alerts"] or [])
    if "events" in data:
        scenario.events = _events(data["events"] or [])
    if data.get("services") is not None:
        return list(catalog.services_by_slug(list(data["services"])))
    return None


@transaction.atomic
def create_scenario(actor: User, data: dict[str, Any]) -> Scenario:
    """A new scenario; `data` as the API's ScenarioIn (team and services by slug)."""
    scenario = Scenario(created_at=clock.now())
    services = _apply(scenario, {**data, "title": data.get("title", "")})
    scenario.save()
    if services is not None:
        scenario.services.set(services)
    record_audit(actor, "drill_scenario.create", scenario, after=describe_scenario(scenario))
    return scenario


@transaction.atomic
def update_scenario(actor: User, scenario: Scenario, changes: dict[str, Any]) -> Scenario:
    """Change the fields given (null for title or severity is refused)."""
    scenario = Scenario.objects.select_for_update().get(pk=scenario.pk)
    before = describe_scenario(scenario)
    for field in ("title", "severity"):
        if field in changes and changes[field] is None:
            raise InvalidInput(_("%(field)s may not be null.") % {"field": field})
    services = _apply(scenario, changes)
    scenario.save()
    if services is not None:
        scenario.services.set(services)
    record_audit(
        actor, "drill_scenario.update", scenario, before=before, after=describe_scenario(scenario)
    )
    return scenario


@transaction.atomic
def delete_scenario(actor: User, scenario: Scenario) -> None:
    """Remove a scenario; the drills run from it keep their incidents and its title."""
    record_audit(actor, "drill_scenario.delete", scenario, before=describe_scenario(scenario))
    scenario.delete()


# Drills -----------------------------------------------------------------------------------


def _injections(drill: Drill, scenario: Scenario) -> list[InjectedEvent]:
    """The scenario's fake alerts (due at once), then its timed events."""
    planned: list[dict[str, Any]] = [
        {
            "offset_minutes": 0,
            "kind": InjectKind.ALERT,
            "text": "\n".join(filter(None, [alert.get("title"), alert.get("details")])),
            "severity": None,
        }
        for alert in scenario.fake_alerts
    ]
    planned += scenario.events
    return [
        InjectedEvent(
            drill=drill,
            position=position,
            offset_minutes=int(item["offset_minutes"]),
            kind=item["kind"],
            text=str(item.get("text") or "")[:TEXT_MAX],
            severity=item.get("severity"),
            due_at=drill.started_at + timedelta(minutes=int(item["offset_minutes"])),
        )
        for position, item in enumerate(planned)
    ]


@transaction.atomic
def start_drill(actor: User, scenario: Scenario) -> Drill:
    """Report and declare a drill incident of the scenario's severity, team and services (the
    incidents actions page its services' on-call with "[Drill]"; the subscribers of a
    declaration do the rest), record the drill and its injected events, and inject those due
    at once (the fake alerts)."""
    scenario = queries.get_scenario(scenario.pk)
    services = list(scenario.services.all())
    incident = incidents.report_incident(
        actor,
        scenario.title,
        scenario.description,
        severity=scenario.severity,
        services=services,
        team=scenario.team,
        is_drill=True,
    )
    drill = Drill.objects.create(
        scenario=scenario,
        scenario_title=scenario.title,
        incident=incident,
        team=scenario.team or incident.team,
        started_by=actor,
        started_at=clock.now(),
    )
    planned = InjectedEvent.objects.bulk_create(_injections(drill, scenario))
    record_audit(
        actor,
        "drill.start",
        drill,
        after={"scenario": scenario.pk, "incident": incident.ref, "injected": len(planned)},
    )
    for event in planned:
        if event.offset_minutes == 0:
            _inject(event)
    return drill


def _inject(event: InjectedEvent) -> None:
    """Run one injected event on its drill's incident (the caller holds the transaction) and
    mark it done; on an incident that is over it is only marked skipped."""
    incident = Incident.objects.select_for_update().get(pk=event.drill.incident_id)
    now = clock.now()
    event.done_at = now
    if incident.status in OVER:
        event.outcome = "skipped"
        event.save(update_fields=["done_at", "outcome"])
        return
    current = incident.severity.level if incident.severity else None
    if event.kind == InjectKind.SEVERITY and event.severity not in (None, current):
        incidents.update_incident(None, incident, {"severity": event.severity})
    timeline_actions.record_change(
        incident,
        INJECTED,
        kind=event.kind,
        text=event.text,
        severity=event.severity,
        minutes=event.offset_minutes,
    )
    event.outcome = "done"
    event.save(update_fields=["done_at", "outcome"])


def run_due_injections(limit: int = 50) -> int:
    """The worker's periodic job: inject every drill event that is due, each in its own
    transaction, re-checked under the row lock so two workers never inject one twice."""
    done = 0
    for pk in queries.due_injections(clock.now(), limit):
        with transaction.atomic():
            event = (
                InjectedEvent.objects.select_for_update()
                .select_related("drill")
                .filter(pk=pk, done_at__isnull=True)
                .first()
            )
            if event is None:
                continue
            _inject(event)
            done += 1
    return done


# Test pages -------------------------------------------------------------------------------


def ack_token(test_page_id: int) -> str:
    return signing.dumps(
        {"test_page": test_page_id, "at": int(clock.now().timestamp())}, salt=ACK_SALT
    )


def test_page_from_token(token: str) -> int:
    """The test page an acknowledge link names; NotFound if forged, altered or expired."""
    try:
        data = signing.loads(token, salt=ACK_SALT)
        issued, test_page_id = int(data["at"]), int(data["test_page"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise NotFound(_("This acknowledge link is not valid.")) from None
    if clock.now().timestamp() - issued > timedelta(days=ACK_LINK_DAYS).total_seconds():
        raise NotFound(_("This acknowledge link has expired.")) from None
    return test_page_id


def _person(ref: int | str) -> User:
    if isinstance(ref, int):
        found = User.objects.filter(pk=ref, is_active=True).first()
        if found is None:
            raise NotFound(_("No user %(id)s.") % {"id": ref})
        return found
    return accounts.get_user(ref)


def _number(ref: int | str, kind: str) -> int:
    if isinstance(ref, int):
        return ref
    if ref.isascii() and ref.isdigit() and len(ref) <= 9:
        return int(ref)
    raise InvalidInput(_("A %(kind)s is named by its id.") % {"kind": kind})


@transaction.atomic
def send_test_page(actor: User, target_type: str, ref: int | str) -> TestPage:
    """Page a person, whoever is on call in a schedule now, or the people of a policy's first
    step, through the real paging path (the worker sends by their notification rules), with a
    message saying it is a test and a link to acknowledge it."""
    if target_type not in TargetType.values:
        raise InvalidInput(
            _("Unknown target type %(type)s; use one of %(types)s.")
            % {"type": target_type, "types": ", ".join(TargetType.values)}
        )
    now = clock.now()
    test_page = TestPage(target_type=target_type, sent_by=actor, sent_at=now)
    people: list[User] = []
    if target_type == TargetType.USER:
        person = _person(ref)
        test_page.target_user, test_page.target_name, people = person, person.username, [person]
    elif target_type == TargetType.SCHEDULE:
        schedule = schedules.get_schedule(_number(ref, "schedule"))
        test_page.target_schedule, test_page.target_name = schedule, schedule.name
        test_page.team = schedule.team
        people = schedules.on_call_now([schedule], now).get(schedule.pk, [])
        if not people:
            raise InvalidInput(_("Nobody is on call in %(name)s now.") % {"name": schedule.name})
    else:
        policy = oncall_queries.get_policy(_number(ref, "policy"))
        test_page.target_policy, test_page.target_name = policy, policy.name
        test_page.team = policy.team
    test_page.save()
    ack_link = str(settings.KIZUKI_BASE_URL) + reverse(
        "drills-test-page-ack", args=[ack_token(test_page.pk)]
    )
    with translation.override(settings.LANGUAGE_CODE):
        title = _("[Test page] %(target)s") % {"target": test_page.target_name}
        summary = _(
            "This is a test page, not an incident: nothing is broken. Acknowledge it to show"
            " that Kizuki can reach you."
        )
        name = _("Test page")
    escalation: Escalation | None
    if target_type == TargetType.POLICY and test_page.target_policy is not None:
        escalation = oncall.start_escalation(
            test_page.target_policy, title, summary, ack_link=ack_link, first_step_only=True
        )
    else:
        escalation = oncall.page_people(
            title, people, [], summary=summary, name=name, ack_link=ack_link
        )
    reached = [person.username for person in oncall.people_paged(escalation)] if escalation else []
    if not reached:
        raise InvalidInput(
            _("Nobody %(target)s pages can be reached: no notification rule and no e-mail address.")
            % {"target": test_page.target_name}
        )
    test_page.escalation, test_page.paged = escalation, reached
    test_page.save(update_fields=["escalation", "paged"])
    record_audit(
        actor,
        "test_page.send",
        test_page,
        after={"target": target_type, "name": test_page.target_name, "paged": reached},
    )
    return test_page


@transaction.atomic
def acknowledge_test_page(actor: User, test_page: TestPage) -> TestPage:
    """Acknowledge the test page's escalation as `actor` (one of the people it paged): the
    pages stop, and record_acknowledgement notes who and when. Twice changes nothing."""
    if test_page.escalation_id is None:
        raise Conflict(_("This test page has nothing to acknowledge."))
    if test_page.acknowledged_at is None:
        oncall.acknowledge_escalation(oncall_queries.get_escalation(test_page.escalation_id), actor)
    return queries.get_test_page(test_page.pk)


def record_acknowledgement(event: EscalationAcknowledged) -> None:
    """IN_TRANSACTION: whoever acknowledges a test page's escalation, by whatever path, is
    recorded with the time (the first acknowledgement only)."""
    found = TestPage.objects.filter(escalation_id=event.escalation_id, acknowledged_at=None)
    test_page = found.first()
    if test_page is None:
        return
    person = User.objects.filter(username=event.user).first() if event.user else None
    test_page.acknowledged_by, test_page.acknowledged_at = person, clock.now()
    test_page.save(update_fields=["acknowledged_by", "acknowledged_at"])
    record_audit(person, "test_page.acknowledge", test_page, after={"by": event.user})
