"""Reads for follow-ups: lookup, filtered lists, the overviews (mine, per team), the due-date
policy of an incident's severity, the quality findings of a follow-up, trackers and rules."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from kizuki.accounts.models import Team, User
from kizuki.core import clock
from kizuki.core.errors import InvalidInput, NotFound
from kizuki.core.schemas import INT_MAX
from kizuki.followups import quality
from kizuki.followups.models import (
    ACTIVE,
    Change,
    FollowUp,
    Milestone,
    QualityRule,
    Status,
    TrackerConfig,
    TrackerLink,
)
from kizuki.incidents.access import Viewer, visible_q
from kizuki.incidents.models import Incident

PAGE_SIZE_MAX = 200
# "Due soon" on the overviews: due within this many days.
DUE_SOON_DAYS = 7


def zone() -> ZoneInfo:
    """Due dates are days in the organisation's time zone (KIZUKI_TIME_ZONE)."""
    return ZoneInfo(settings.TIME_ZONE)


def day_of(moment: datetime) -> date:
    return moment.astimezone(zone()).date()


def today() -> date:
    return day_of(clock.now())


def _with_details(found: QuerySet[FollowUp]) -> QuerySet[FollowUp]:
    """What a follow-up's summary shows, in a fixed number of queries however many rows."""
    return found.select_related(
        "incident",
        "incident__severity",
        "owner",
        "team",
        "retrospective",
        "tracker_link",
        "created_by",
    ).prefetch_related(Prefetch("milestones", Milestone.objects.order_by("position", "id")))


def _storable(value: int) -> int:
    """An id the database can hold, else 0, which no row has (a 64-bit number in a URL is
    simply not found)."""
    return value if 0 < value <= INT_MAX else 0


def get_followup(followup_id: int) -> FollowUp:
    found = _with_details(FollowUp.objects.filter(pk=_storable(followup_id))).first()
    if found is None:
        raise NotFound(_("No follow-up %(id)s.") % {"id": followup_id})
    return found


def page_path(followup: FollowUp) -> str:
    """The follow-up's page, for links from chat and mail."""
    return reverse("followup-detail", args=[followup.pk])


def incident_followups(incident: Incident) -> list[FollowUp]:
    return list(_with_details(incident.followups.all()).order_by("created_at", "id"))


def milestones(followup: FollowUp) -> list[Milestone]:
    return list(followup.milestones.all())


def history(followup: FollowUp) -> list[Change]:
    return list(followup.changes.select_related("actor").order_by("at", "id"))


@dataclass
class FollowUpFilter:
    status: str = ""
    team: str = ""
    owner: str = ""
    overdue: bool = False
    due_soon: bool = False
    active_only: bool = False
    statuses: list[str] = field(default_factory=list)


def filter_followups(criteria: FollowUpFilter, *, viewer: Viewer) -> QuerySet[FollowUp]:
    """The follow-ups of incidents `viewer` may see (None: the operator, all) that match."""
    found = _with_details(FollowUp.objects.filter(visible_q(viewer)))
    if criteria.status:
        if criteria.status not in Status.values:
            raise InvalidInput(
                _("Unknown status %(status)s; use one of %(statuses)s.")
                % {"status": criteria.status, "statuses": ", ".join(Status.values)}
            )
        found = found.filter(status=criteria.status)
    if criteria.active_only or criteria.overdue or criteria.due_soon:
        found = found.filter(status__in=ACTIVE)
    if criteria.team:
        found = found.filter(team__slug=criteria.team)
    if criteria.owner:
        found = found.filter(owner__username=criteria.owner)
    now = today()
    if criteria.overdue:
        found = found.filter(due_date__lt=now)
    if criteria.due_soon:
        found = found.filter(due_date__gte=now, due_date__lte=now + timedelta(days=DUE_SOON_DAYS))
    return found.order_by("due_date", "id")


def is_overdue(followup: FollowUp, on: date | None = None) -> bool:
    return bool(followup.active and followup.due_date and followup.due_date < (on or today()))


@dataclass
class Overview:
    """A team's (or a person's) follow-ups still to do, by urgency."""

    overdue: list[FollowUp]
    due_soon: list[FollowUp]
    later: list[FollowUp]

    @property
    def total(self) -> int:
        return len(self.overdue) + len(self.due_soon) + len(self.later)


def _overview(found: QuerySet[FollowUp]) -> Overview:
    now = today()
    soon = now + timedelta(days=DUE_SOON_DAYS)
    result = Overview([], [], [])
    for followup in found.filter(status__in=ACTIVE).order_by("due_date", "id"):
        if followup.due_date is not None and followup.due_date < now:
            result.overdue.append(followup)
        elif followup.due_date is not None and followup.due_date <= soon:
            result.due_soon.append(followup)
        else:
            result.later.append(followup)
    return result


def team_overview(team: Team, viewer: Viewer) -> Overview:
    return _overview(_with_details(FollowUp.objects.filter(visible_q(viewer), team=team)))


def my_overview(user: User) -> Overview:
    return _overview(_with_details(FollowUp.objects.filter(visible_q(user), owner=user)))


def done_recently(user: User, days: int = 30) -> list[FollowUp]:
    since = clock.now() - timedelta(days=days)
    return list(
        _with_details(
            FollowUp.objects.filter(
                visible_q(user), owner=user, status=Status.DONE, done_at__gte=since
            )
        ).order_by("-done_at")
    )


def teams_with_followups() -> list[Team]:
    return list(Team.objects.filter(followups__isnull=False).distinct().order_by("name"))


# The due-date policy ---------------------------------------------------------------------


def policy_for(incident: Incident, created: date | None = None) -> quality.Policy | None:
    """The severity's policy: due within `follow_up_due_days`, counted from the incident's
    resolve time, or (not resolved yet) from the follow-up's creation day (today for a new
    one). None while the incident has no severity."""
    severity = incident.severity
    if severity is None:
        return None
    start = day_of(incident.resolved_at) if incident.resolved_at else (created or today())
    try:
        due_by = start + timedelta(days=severity.follow_up_due_days)
    except OverflowError:  # a policy of millions of days: as good as none
        due_by = date.max
    return quality.Policy(severity=str(severity), days=severity.follow_up_due_days, due_by=due_by)


def default_due_date(incident: Incident) -> date | None:
    """A new follow-up's due date: the policy's, never in the past."""
    policy = policy_for(incident)
    return max(policy.due_by, today()) if policy else None


# Quality ---------------------------------------------------------------------------------


def extra_rules() -> list[quality.Extra]:
    """The admins' enabled rules, as the quality check takes them."""
    return [
        quality.Extra(rule.code, rule.pattern, rule.language, rule.message_en, rule.message_ja)
        for rule in QualityRule.objects.filter(enabled=True).order_by("code", "id")
    ]


def quality_of(
    followup: FollowUp, rules: list[quality.Extra] | None = None
) -> list[quality.Finding]:
    """What the check finds about a saved follow-up: its text, owner and due date against the
    policy of its incident's severity. Pass `rules` (extra_rules()) when checking many."""
    return quality.check(
        followup.title,
        followup.description,
        owner=followup.owner.username if followup.owner else None,
        due_date=followup.due_date,
        policy=policy_for(followup.incident, day_of(followup.created_at)),
        extra=extra_rules() if rules is None else rules,
    )


def quality_rules() -> list[QualityRule]:
    return list(QualityRule.objects.order_by("code", "id"))


def get_quality_rule(rule_id: int) -> QualityRule:
    rule = QualityRule.objects.filter(pk=_storable(rule_id)).first()
    if rule is None:
        raise NotFound(_("No quality rule %(id)s.") % {"id": rule_id})
    return rule


# Trackers --------------------------------------------------------------------------------


def tracker_of(team: Team | None) -> TrackerConfig | None:
    if team is None:
        return None
    return TrackerConfig.objects.select_related("team").filter(team=team).first()


def trackers() -> list[TrackerConfig]:
    return list(TrackerConfig.objects.select_related("team").order_by("team__name"))


def get_tracker(tracker_id: int) -> TrackerConfig:
    tracker = TrackerConfig.objects.select_related("team").filter(pk=_storable(tracker_id)).first()
    if tracker is None:
        raise NotFound(_("No issue tracker %(id)s.") % {"id": tracker_id})
    return tracker


def link_of(followup: FollowUp) -> TrackerLink | None:
    return TrackerLink.objects.select_related("config").filter(followup=followup).first()


def links_to_check(before: datetime) -> list[TrackerLink]:
    """Linked issues of follow-ups still to do, not asked about since `before`."""
    return list(
        TrackerLink.objects.select_related("config", "followup", "followup__incident")
        .filter(
            state="linked",
            issue_closed=False,
            config__enabled=True,
            followup__status__in=ACTIVE,
        )
        .filter(Q(checked_at__isnull=True) | Q(checked_at__lt=before))
        .order_by("checked_at", "id")
    )


def link_for_issue(config: TrackerConfig, issue_id: str) -> TrackerLink | None:
    return TrackerLink.objects.filter(config=config, issue_id=issue_id).first()


def get_link(link_id: int) -> TrackerLink | None:
    return (
        TrackerLink.objects.select_related("config", "followup", "followup__incident")
        .filter(pk=link_id)
        .first()
    )
