"""The only write path for the Slack app's outbound side: incident channels kept up to date.

Incident changes arrive in the worker, after their transaction committed (see tasks.py). Each
brings its channel up to date step by step — create, invite, pin the guide, announce, relay
new timeline entries, refresh the topic, post the closing summary — recording each step as it
succeeds. A Slack failure is logged and recorded on the channel (`last_error`, `failures`) and
the periodic job tries again after a growing pause (1, 2, 4 … 60 minutes); the incident action
that caused the change never sees it."""

import functools
import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import get_language

from kizuki.accounts.models import User
from kizuki.chat import guide, naming, queries, texts
from kizuki.chat.models import HotlineReport, IncidentChannel, SlackUserLink
from kizuki.chat.slack import SlackError, SlackPort
from kizuki.core import clock
from kizuki.incidents.models import Incident, Status
from kizuki.knowledge.queries import similar_incidents

logger = logging.getLogger(__name__)

LEASE = timedelta(minutes=2)
BACKOFF_MAX = timedelta(hours=1)
# Harmless answers when asking again: the person is already there, the message already pinned.
ALREADY = {"already_in_channel", "already_pinned", "already_archived"}
ENDED = [Status.CLOSED, Status.FALSE_ALARM]
# What Slack says about a channel archived or deleted by hand (optional steps never raise it).
CHANNEL_GONE = {"is_archived", "channel_not_found"}
SYNC_ROUNDS = 3


def wants_channel(incident: Incident) -> bool:
    return incident.declared_at is not None and incident.status not in ENDED


def incident_changed(port: SlackPort, incident_id: int) -> None:
    """Something happened to an incident: open its channel if it is due one, then sync."""
    incident = queries.incident_by_id(incident_id)
    if incident is None:
        return
    exists = IncidentChannel.objects.filter(incident=incident).exists()
    if not exists and not wants_channel(incident):
        return
    if not exists:
        IncidentChannel.objects.get_or_create(
            incident=incident, defaults={"created_at": clock.now()}
        )
    IncidentChannel.objects.filter(incident=incident).update(sync_wanted=True)
    sync(port, incident_id)


def open_channel(port: SlackPort, incident_id: int) -> str:
    """Open the incident's channel now, declared or not (an automation rule asks for it), and
    bring it up to date; a Slack failure is retried like any sync. Returns the channel's name
    ("" until Slack made it)."""
    incident = queries.incident_by_id(incident_id)
    if incident is None:
        return ""
    IncidentChannel.objects.get_or_create(incident=incident, defaults={"created_at": clock.now()})
    IncidentChannel.objects.filter(incident=incident).update(sync_wanted=True)
    sync(port, incident_id)
    return queries.load_channel(incident_id).name


def sync(port: SlackPort, incident_id: int) -> bool:
    """Bring one channel up to date, unless another worker is at it or it is backing off.
    Goes round again (a few times) if news arrived meanwhile. True if it ran."""
    ran = False
    for _round in range(SYNC_ROUNDS):
        channel = claim(incident_id, for_sync=True)
        if channel is None:
            return ran
        ran = True
        if not attempt(channel, functools.partial(_bring_up_to_date, port)):
            return ran
        if not IncidentChannel.objects.filter(pk=channel.pk, sync_wanted=True).exists():
            return ran
    return ran


def claim(incident_id: int, *, for_sync: bool) -> IncidentChannel | None:
    """Take the channel for LEASE (a compare-and-set, no lock held while Slack answers)."""
    now = clock.now()
    free = Q(lease_until__isnull=True) | Q(lease_until__lt=now)
    due = Q(retry_at__isnull=True) | Q(retry_at__lte=now)
    changes: dict[str, Any] = {"lease_until": now + LEASE}
    if for_sync:
        changes["sync_wanted"] = False
    if not IncidentChannel.objects.filter(free, due, incident_id=incident_id).update(**changes):
        return None
    return queries.load_channel(incident_id)


def attempt(channel: IncidentChannel, work: Callable[[IncidentChannel], object]) -> bool:
    """Run `work` on a claimed channel, then release it, recording a failure if there was one."""
    try:
        work(channel)
    except Exception as error:
        failures = channel.failures + 1
        pause = min(timedelta(minutes=2 ** min(failures - 1, 10)), BACKOFF_MAX)
        retry_at = clock.now() + pause
        if isinstance(error, SlackError):
            logger.warning(
                "Slack: %s for incident %s failed (%s in a row; next try %s): %s",
                error.method,
                channel.incident_id,
                failures,
                retry_at.isoformat(),
                error,
            )
        else:
            logger.exception("Slack: syncing incident %s failed", channel.incident_id)
        IncidentChannel.objects.filter(pk=channel.pk).update(
            failures=failures,
            retry_at=retry_at,
            last_error=str(error)[:2000],
            lease_until=None,
            sync_wanted=True,
        )
        return False
    IncidentChannel.objects.filter(pk=channel.pk).update(
        failures=0, retry_at=None, last_error="", lease_until=None
    )
    return True


def save(channel: IncidentChannel, **fields: Any) -> None:
    for name, value in fields.items():
        setattr(channel, name, value)
    channel.save(update_fields=list(fields))


def _optional(what: str, call: Callable[[], object]) -> None:
    """A step the channel can do without (an invite, a pin, the announcement): a lasting
    refusal is logged and skipped; a passing failure is raised so the sync is retried."""
    try:
        call()
    except SlackError as error:
        if error.transient:
            raise
        if error.code not in ALREADY:
            logger.warning("Slack: could not %s: %s", what, error)


def _bring_up_to_date(port: SlackPort, channel: IncidentChannel) -> None:
    """Every step not done yet, in order; each recorded as it succeeds."""
    incident = queries.incident_by_id(channel.incident_id)
    if incident is None:
        return
    if not channel.channel_id:
        if incident.status in ENDED:
            return  # over before a channel was made: nothing to open
        _create(port, channel, incident)
    if channel.archived_at is not None:
        return
    try:
        _update(port, channel, incident)
    except SlackError as error:
        if error.code not in CHANNEL_GONE:
            raise
        # Archived or deleted by hand in Slack: nothing more can be posted there.
        logger.warning("Slack: #%s is gone (%s); no more updates there", channel.name, error)
        save(channel, archived_at=clock.now())


def _update(port: SlackPort, channel: IncidentChannel, incident: Incident) -> None:
    invited: set[int] = set()  # people asked in this pass: a role given before it, asked once
    if channel.invited_at is None:
        _invite(port, channel, queries.people_to_invite(incident, clock.now()), invited)
        save(channel, invited_at=clock.now())
    if not channel.guide_ts:
        _post_guide(port, channel, incident)
    if channel.announced_at is None:
        _announce(port, channel, incident)
    _relay(port, channel, incident, invited)
    _refresh_topic(port, channel, incident)
    if incident.status in ENDED and channel.summary_posted_at is None:
        _post_summary(port, channel, incident)


def _create(port: SlackPort, channel: IncidentChannel, incident: Incident) -> None:
    name = naming.channel_name(
        settings.KIZUKI_SLACK_CHANNEL_PATTERN,
        title=incident.title,
        number=incident.number,
        declared=incident.declared_at or clock.now(),
        zone=settings.TIME_ZONE,
    )
    for candidate in naming.candidates(name):
        try:
            # A private incident's channel is private: only those invited (its people) see it.
            channel_id = port.create_channel(candidate, private=incident.private)
        except SlackError as error:
            if error.code == "name_taken":
                continue
            raise
        save(
            channel,
            channel_id=channel_id,
            name=candidate,
            relayed_entry_id=queries.declaration_entry_id(incident),
        )
        return
    raise SlackError("conversations.create", "name_taken", f"{name} and its suffixes are taken")


def slack_id(port: SlackPort, user: User) -> str | None:
    """The user's Slack id: the cached link, else looked up by e-mail (and cached)."""
    link = queries.slack_link(user)
    if link is not None and (not link.email or link.email == user.email):
        return link.slack_user_id
    if not user.email:
        return None
    found = port.user_id_by_email(user.email)
    if found:
        link_slack_user(user, found, user.email)
    return found


@transaction.atomic
def link_slack_user(user: User, slack_user_id: str, email: str = "") -> SlackUserLink:
    """Remember that `slack_user_id` is `user` (one Slack account per user and vice versa)."""
    SlackUserLink.objects.filter(slack_user_id=slack_user_id).exclude(user=user).delete()
    link, _created = SlackUserLink.objects.update_or_create(
        user=user,
        defaults={"slack_user_id": slack_user_id, "email": email, "linked_at": clock.now()},
    )
    return link


def _invite(
    port: SlackPort, channel: IncidentChannel, people: list[User], invited: set[int]
) -> None:
    new = [person for person in people if person.pk not in invited]
    invited.update(person.pk for person in new)
    ids = [found for person in new if (found := slack_id(port, person))]
    if ids:
        _optional("invite people", lambda: port.invite(channel.channel_id, ids))


def _post_guide(port: SlackPort, channel: IncidentChannel, incident: Incident) -> None:
    if incident.severity is None:
        return
    language = get_language() or settings.LANGUAGE_CODE
    similar = [
        guide.PastIncident(
            f"{found.incident.ref} {found.incident.title}",
            texts.incident_url(found.incident),
            settings.KIZUKI_BASE_URL + found.retrospective_url if found.retrospective_url else "",
        )
        for found in similar_incidents(incident, limit=3)
    ]
    text = guide.render(
        incident, incident.severity, texts.incident_url(incident), language, similar
    )
    ts = port.post(channel.channel_id, text)
    save(channel, guide_ts=ts)
    try:
        port.pin(channel.channel_id, ts)
    except SlackError as error:
        if error.code not in ALREADY:
            logger.warning("Slack: could not pin the guide of incident %s: %s", incident.pk, error)


def _announce(port: SlackPort, channel: IncidentChannel, incident: Incident) -> None:
    target = settings.KIZUKI_SLACK_ANNOUNCE_CHANNEL
    # A private incident is never announced in the shared channel.
    if target and not incident.private:
        text = texts.announcement(incident, channel.channel_id)
        _optional("announce in " + target, lambda: port.post(target, text))
    save(channel, announced_at=clock.now())


def _relay(
    port: SlackPort, channel: IncidentChannel, incident: Incident, invited: set[int]
) -> None:
    for entry in queries.entries_after(incident, channel.relayed_entry_id):
        line = texts.entry_line(entry)
        if line:
            port.post(channel.channel_id, line)
        if entry.event == "role_assigned":
            person = queries.user_named(str(entry.data.get("user", "")))
            _invite(port, channel, [person] if person else [], invited)
        save(channel, relayed_entry_id=entry.pk)


def _refresh_topic(port: SlackPort, channel: IncidentChannel, incident: Incident) -> None:
    commander = queries.commander(incident)
    topic = texts.topic(incident, commander.username if commander else "")
    if topic != channel.topic:
        port.set_topic(channel.channel_id, topic)
        save(channel, topic=topic)


def _post_summary(port: SlackPort, channel: IncidentChannel, incident: Incident) -> None:
    hours = settings.KIZUKI_SLACK_ARCHIVE_AFTER_HOURS
    roles = queries.roles(incident)
    port.post(
        channel.channel_id,
        texts.summary(incident, roles, queries.last_update_text(incident), hours),
    )
    now = clock.now()
    save(
        channel,
        summary_posted_at=now,
        archive_due_at=(incident.closed_at or now) + timedelta(hours=hours),
    )


def claim_hotline_message(channel_id: str, message_ts: str) -> HotlineReport | None:
    """Claim a hotline message for filing; None when it is (being) filed already."""
    try:
        with transaction.atomic():
            return HotlineReport.objects.create(
                channel_id=channel_id, message_ts=message_ts, claimed_at=clock.now()
            )
    except IntegrityError:
        return None


@transaction.atomic
def settle_hotline_claim(claim: HotlineReport, incident: Incident | None) -> None:
    """Record what the claim filed, or give it up (None) so the next click may try again."""
    if incident is None:
        claim.delete()
    else:
        claim.incident = incident
        claim.save(update_fields=["incident"])
