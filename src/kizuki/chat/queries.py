"""Reads for the Slack app: incident channels, who is who in Slack, what is due."""

from datetime import datetime

from django.db.models import Max, Q, QuerySet

from kizuki.accounts.models import User
from kizuki.chat.models import IncidentChannel, SlackUserLink
from kizuki.incidents import queries as incidents
from kizuki.incidents.models import Incident, RoleAssignment, Status, TimelineEntry
from kizuki.schedules import queries as schedule_queries

COMMANDER = "incident_commander"
COMMUNICATIONS = "communications_lead"
# Statuses in which a channel gets status-update and commander reminders.
RESPONDING = [Status.DECLARED, Status.MITIGATED]


def channel_of(incident: Incident) -> IncidentChannel | None:
    return IncidentChannel.objects.filter(incident=incident).first()


def incident_for_channel(channel_id: str) -> Incident | None:
    """The incident whose Slack channel this is (for commands typed in the channel)."""
    found = IncidentChannel.objects.filter(channel_id=channel_id).exclude(channel_id="").first()
    return incidents.get_incident(found.incident.number) if found else None


def incident_by_id(incident_id: int) -> Incident | None:
    incident = Incident.objects.filter(pk=incident_id).values_list("number", flat=True).first()
    return incidents.get_incident(incident) if incident is not None else None


def load_channel(incident_id: int) -> IncidentChannel:
    return IncidentChannel.objects.select_related("incident").get(incident_id=incident_id)


def slack_link(user: User) -> SlackUserLink | None:
    return SlackUserLink.objects.filter(user=user).first()


def user_for_slack_id(slack_user_id: str) -> User | None:
    link = SlackUserLink.objects.filter(slack_user_id=slack_user_id).select_related("user").first()
    return link.user if link else None


def user_named(username: str) -> User | None:
    return User.objects.filter(username=username, is_active=True).first()


def mention(user: User) -> str:
    """`<@U…>` for a user Kizuki knows in Slack, else the username."""
    link = slack_link(user)
    return f"<@{link.slack_user_id}>" if link else user.username


def roles(incident: Incident) -> list[RoleAssignment]:
    return incidents.active_roles(incident)


def commander(incident: Incident) -> User | None:
    return next((a.user for a in roles(incident) if a.role.slug == COMMANDER), None)


def last_update_text(incident: Incident) -> str:
    update = incidents.latest_status_update(incident)
    if update is None:
        return ""
    return f"{update.text} ({update.author.username})" if update.author else update.text


def last_update_time(incident: Incident) -> datetime | None:
    update = incidents.latest_status_update(incident)
    return update.created_at if update else None


def on_call(incident: Incident, now: datetime) -> list[User]:
    """Who is on call now in the schedules of the incident's team and its services' teams."""
    teams = {incident.team_id, *(service.team_id for service in incident.services.all())}
    teams.discard(None)
    if not teams:
        return []
    found = list(schedule_queries.schedules().filter(team_id__in=teams))
    if not found:
        return []
    people = schedule_queries.on_call_now(found, now)
    return [user for schedule in found for user in people.get(schedule.pk, [])]


def people_to_invite(incident: Incident, now: datetime) -> list[User]:
    """The reporter, the role holders and the on-call, each once, active accounts only."""
    people = [incident.reporter, *(a.user for a in roles(incident)), *on_call(incident, now)]
    unique: dict[int, User] = {}
    for person in people:
        if person is not None and person.is_active:
            unique.setdefault(person.pk, person)
    return list(unique.values())


def declaration_entry_id(incident: Incident) -> int:
    """The timeline entry that declared the incident: the channel relays what follows it."""
    entry = (
        TimelineEntry.objects.filter(incident=incident, event="transition", data__to="declared")
        .order_by("-id")
        .values_list("id", flat=True)
        .first()
    )
    return entry or 0


def entries_after(incident: Incident, entry_id: int) -> list[TimelineEntry]:
    return list(
        TimelineEntry.objects.filter(incident=incident, pk__gt=entry_id)
        .select_related("author")
        .order_by("id")
    )


def _ready(now: datetime) -> Q:
    """Not being synced by another worker, and not waiting out a failure."""
    free = Q(lease_until__isnull=True) | Q(lease_until__lt=now)
    return free & (Q(retry_at__isnull=True) | Q(retry_at__lte=now))


def wanting_sync(now: datetime) -> list[int]:
    rows = IncidentChannel.objects.filter(_ready(now), sync_wanted=True)
    return list(rows.values_list("incident_id", flat=True))


def due_for_archive(now: datetime) -> QuerySet[IncidentChannel]:
    return (
        IncidentChannel.objects.filter(_ready(now), archive_due_at__lte=now)
        .filter(archived_at__isnull=True)
        .exclude(channel_id="")
    )


def responding(now: datetime) -> QuerySet[IncidentChannel]:
    """Live channels of incidents being responded to, the ones reminders are for, each with
    `last_update_at` (its newest status update) — one query, as the worker asks every tick."""
    return (
        IncidentChannel.objects.filter(_ready(now), incident__status__in=RESPONDING)
        .filter(archived_at__isnull=True, summary_posted_at__isnull=True)
        .exclude(channel_id="")
        .select_related("incident__severity")
        .annotate(last_update_at=Max("incident__status_updates__created_at"))
    )


def update_chasers(incident: Incident) -> list[User]:
    """Who a status-update reminder asks: the communications lead, else the commander."""
    held = roles(incident)
    leads = [a.user for a in held if a.role.slug == COMMUNICATIONS]
    return leads or [a.user for a in held if a.role.slug == COMMANDER]
