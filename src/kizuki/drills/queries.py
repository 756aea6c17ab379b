"""Reading drills, scenarios and test pages (no writes). `last_drill` and `last_test_page`
answer the readiness page.

A drill whose incident is private and not seen by the viewer stays listed (the drill was run:
readiness counts it), with `incident_hidden` set: its incident's number, link and status are
not shown (incidents.visibility)."""

from datetime import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from kizuki.accounts.models import Team, User
from kizuki.core.errors import NotFound
from kizuki.drills.models import Drill, InjectedEvent, Scenario, TestPage
from kizuki.incidents.access import Viewer, hidden_incidents

PAGE_SIZE_MAX = 200


def scenarios() -> QuerySet[Scenario]:
    return Scenario.objects.select_related("team").prefetch_related("services")


def get_scenario(scenario_id: int) -> Scenario:
    found = scenarios().filter(pk=scenario_id).first()
    if found is None:
        raise NotFound(_("No drill scenario %(id)s.") % {"id": scenario_id})
    return found


def drills(viewer: Viewer) -> QuerySet[Drill]:
    """Every drill, newest first, with its incident, its injected events and whether the
    viewer may not see its incident (`incident_hidden`, one subquery for the whole list)."""
    hidden = hidden_incidents(viewer).filter(pk=OuterRef("incident_id"))
    return (
        Drill.objects.select_related(
            "incident", "incident__severity", "scenario", "started_by", "team"
        )
        .prefetch_related("injected")
        .annotate(incident_hidden=Exists(hidden))
    )


def incident_hidden(drill: Drill) -> bool:
    """For a drill read through `drills`: whether its incident's number, link and status are
    kept from the viewer the list was made for."""
    hidden: bool = drill.incident_hidden  # type: ignore[attr-defined]  # drills() annotates it
    return hidden


def drills_of(team: Team, viewer: Viewer) -> QuerySet[Drill]:
    """The team's drills: its scenario's team, or its incident's."""
    return drills(viewer).filter(Q(team=team) | Q(incident__team=team))


def get_drill(drill_id: int, viewer: Viewer) -> Drill:
    found = drills(viewer).filter(pk=drill_id).first()
    if found is None:
        raise NotFound(_("No drill %(id)s.") % {"id": drill_id})
    return found


def injected(drill: Drill) -> list[InjectedEvent]:
    return list(drill.injected.all())


def due_injections(now: datetime, limit: int) -> list[int]:
    """The ids of injected events that are due and not done, the earliest first."""
    due = InjectedEvent.objects.filter(done_at__isnull=True, due_at__lte=now)
    return list(due.order_by("due_at", "id").values_list("pk", flat=True)[:limit])


def test_pages() -> QuerySet[TestPage]:
    return TestPage.objects.select_related(
        "sent_by", "acknowledged_by", "target_user", "target_schedule", "target_policy", "team"
    )


def get_test_page(test_page_id: int) -> TestPage:
    found = test_pages().filter(pk=test_page_id).first()
    if found is None:
        raise NotFound(_("No test page %(id)s.") % {"id": test_page_id})
    return found


def seconds_to_acknowledge(test_page: TestPage) -> int | None:
    """How long the test page waited for its acknowledgement; None while nobody answered."""
    if test_page.acknowledged_at is None:
        return None
    return int((test_page.acknowledged_at - test_page.sent_at).total_seconds())


def was_paged(test_page: TestPage, person: User) -> bool:
    return person.username in (test_page.paged or [])


def last_drill(team: Team | None, viewer: Viewer) -> Drill | None:
    """The team's most recent drill (its scenario's team, or its incident's), None if it never
    had one; with `team` None, the organisation's most recent drill."""
    return (drills_of(team, viewer) if team is not None else drills(viewer)).first()


def last_test_page(team: Team | None) -> TestPage | None:
    """The team's most recent test page: one to its schedule or policy, or to one of its
    members; None if there never was one. With `team` None, the organisation's latest."""
    found = test_pages()
    if team is not None:
        members = team.members.values_list("pk", flat=True)
        found = found.filter(Q(team=team) | Q(target_user__in=members)).distinct()
    return found.first()
