"""Reads for response areas: the areas and their chains, who is away, who can be reached, who
leads an area at a moment, and the gaps (areas without an owner or deputies). Other apps
(readiness, automation) read these; they only read."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from kizuki.accounts.models import User
from kizuki.areas.models import Absence, AreaLead, Deputy, ResponseArea
from kizuki.core import clock
from kizuki.core.errors import NotFound
from kizuki.core.schemas import INT_MAX
from kizuki.incidents.models import FINISHED_STATUSES, Incident
from kizuki.notify.queries import rules_by_user

PAGE_SIZE_MAX = 200


class State:
    """Why a person in an area's chain leads it, or was passed over."""

    LEAD = "lead"
    ABSENT = "absent"  # an absence covers the moment
    UNREACHABLE = "unreachable"  # no notification rule and no e-mail, or deactivated
    STANDBY = "standby"  # available, but someone before them leads


def areas() -> QuerySet[ResponseArea]:
    """Every area in its order, with its owner, team and deputies (in rank order) fetched."""
    return ResponseArea.objects.select_related("owner", "team").prefetch_related(
        Prefetch("deputy_links", queryset=Deputy.objects.select_related("user").order_by("rank"))
    )


def get_area(area_id: int) -> ResponseArea:
    found = areas().filter(pk=area_id).first()
    if found is None:
        raise NotFound(_("No response area %(id)s.") % {"id": area_id})
    return found


def deputies_of(area: ResponseArea) -> list[User]:
    """The area's deputies, rank 1 first."""
    return [link.user for link in sorted(area.deputy_links.all(), key=lambda link: link.rank)]


def chain_of(area: ResponseArea) -> list[tuple[int, User]]:
    """Whom the area asks to lead, in order: (0, owner) if any, then (rank, deputy)."""
    chain = [(0, area.owner)] if area.owner is not None else []
    return chain + [(link.rank, link.user) for link in area.deputy_links.all()]


def absent_ids(user_ids: Iterable[int], at: datetime) -> set[int]:
    """Which of these people an absence covers at `at` (starts_at <= at < ends_at)."""
    return set(
        Absence.objects.filter(
            user_id__in=list(user_ids), starts_at__lte=at, ends_at__gt=at
        ).values_list("user_id", flat=True)
    )


def is_available(person: User, at: datetime) -> bool:
    """A person is available when no absence of theirs covers `at`."""
    return not absent_ids([person.pk], at)


def reachable_ids(people: Iterable[User]) -> set[int]:
    """Who Kizuki can page, as the escalation engine decides it (oncall.pages.pages_for): an
    active account with a notification rule, or without one an e-mail address on the account."""
    people = list(people)
    rules = rules_by_user(person.pk for person in people)
    return {p.pk for p in people if p.is_active and (rules.get(p.pk) or p.email)}


def is_reachable(person: User) -> bool:
    return person.pk in reachable_ids([person])


@dataclass
class Step:
    """One person of an area's chain at a moment: their rank (0: the owner) and state."""

    rank: int
    user: User
    state: str


@dataclass
class Lead:
    """Who leads an area at a moment (None: nobody can, a gap) and the chain considered."""

    area: ResponseArea
    user: User | None
    chain: list[Step] = field(default_factory=list)


def _leads(found: list[ResponseArea], at: datetime) -> list[Lead]:
    people = {user.pk: user for area in found for _rank, user in chain_of(area)}
    away = absent_ids(people, at)
    reachable = reachable_ids(people.values())
    answers = []
    for area in found:
        lead: User | None = None
        steps = []
        for rank, user in chain_of(area):
            if user.pk in away:
                state = State.ABSENT
            elif user.pk not in reachable:
                state = State.UNREACHABLE
            elif lead is None:
                state, lead = State.LEAD, user
            else:
                state = State.STANDBY
            steps.append(Step(rank, user, state))
        answers.append(Lead(area, lead, steps))
    return answers


def lead_for(area: ResponseArea, at: datetime) -> Lead:
    """Who leads `area` at `at`: the owner if available and reachable, else the first deputy in
    rank order who is; else nobody. The answer keeps every person considered and their state
    (lead, absent, unreachable, standby)."""
    return _leads([area], at)[0]


def leads_at(at: datetime) -> list[Lead]:
    """lead_for for every area, in the areas' order, in a few queries."""
    return _leads(list(areas()), at)


def areas_without_owner() -> list[ResponseArea]:
    """Areas nobody owns (readiness shows each as a gap)."""
    return list(areas().filter(owner__isnull=True))


def areas_without_deputies() -> list[ResponseArea]:
    """Areas with no deputy at all (readiness shows each as a gap)."""
    return list(areas().filter(deputy_links__isnull=True))


def areas_without_lead(at: datetime) -> list[ResponseArea]:
    """Areas where nobody in the chain is available and reachable at `at`."""
    return [lead.area for lead in leads_at(at) if lead.user is None]


def key_people(at: datetime) -> list[User]:
    """The key people for a big incident at `at`: every area's lead and deputies (owner and
    deputies in the areas' order), each once, those an absence covers left out."""
    found = list(areas())
    people = {user.pk: user for area in found for _rank, user in chain_of(area)}
    away = absent_ids(people, at)
    chosen: dict[int, User] = {}
    for area in found:
        for _rank, user in chain_of(area):
            if user.pk not in away and user.is_active:
                chosen.setdefault(user.pk, user)
    return list(chosen.values())


def absences(username: str | None = None, current_at: datetime | None = None) -> QuerySet[Absence]:
    """Absences, earliest first; of one person (by username: none for an unknown name); only
    those not over by `current_at`."""
    found = Absence.objects.select_related("user")
    if username is not None:
        found = found.filter(user__username=username)
    if current_at is not None:
        found = found.filter(ends_at__gt=current_at)
    return found.order_by("starts_at", "id")


def get_absence(absence_id: int) -> Absence:
    found = Absence.objects.select_related("user").filter(pk=absence_id).first()
    if found is None:
        raise NotFound(_("No absence %(id)s.") % {"id": absence_id})
    return found


def get_person(username: str) -> User:
    person = User.objects.filter(username=username, is_active=True).first()
    if person is None:
        raise NotFound(_("No user %(username)s.") % {"username": username})
    return person


def people() -> QuerySet[User]:
    """Whom an area or an absence may name: active people, by username."""
    return User.objects.filter(is_active=True).order_by("username")


def leads_of(incident: Incident) -> list[AreaLead]:
    """The incident's area leads (proposed on declaration), in the areas' order."""
    return list(
        AreaLead.objects.filter(incident=incident)
        .select_related("area", "lead", "proposed", "changed_by")
        .order_by("area__position", "area__slug")
    )


def get_area_lead(incident: Incident, area_id: int) -> AreaLead:
    # An id no row can have is not asked about: SQLite cannot even take it as a parameter.
    storable = area_id if 0 < area_id <= INT_MAX else 0
    found = (
        AreaLead.objects.filter(incident=incident, area_id=storable).select_related("area").first()
    )
    if found is None:
        raise NotFound(
            _("%(ref)s has no lead proposed for area %(id)s.")
            % {"ref": incident.ref, "id": area_id}
        )
    return found


def key_people_for(_incident: Incident) -> list[User]:
    """incidents.mobilisation's key-people source: the area leads and deputies now (the
    incident itself does not change who they are)."""
    return key_people(clock.now())


def is_finished(incident: Incident) -> bool:
    """Closed and false-alarm incidents are the record: their leads no longer change."""
    return incident.status in FINISHED_STATUSES
