"""The write path for issue-tracker sync: a team's tracker settings (admins), asking for a
follow-up's issue (the export job is enqueued in the same transaction), recording what the job
and the tracker said, and moving the follow-up when its issue is closed or reopened there."""

import re
import uuid
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from kizuki.accounts.models import Team, User
from kizuki.core import clock
from kizuki.core.actions import record_audit
from kizuki.core.errors import Conflict, InvalidInput, NotFound
from kizuki.core.events import publish
from kizuki.followups import events, queries, tasks
from kizuki.followups.models import (
    Change,
    FollowUp,
    LinkState,
    TrackerConfig,
    TrackerKind,
    TrackerLink,
)
from kizuki.notify import outbound

GITHUB_REPOSITORY = re.compile(r"^[A-Za-z0-9_.-]{1,100}/[A-Za-z0-9_.-]{1,100}$")
JIRA_PROJECT = re.compile(r"^[A-Z][A-Z0-9_]{0,49}$")
SECRET_MAX = 500
FIELDS = {"kind", "base_url", "project", "account", "issue_type", "token", "webhook_secret"}


def _text(data: dict[str, Any], field: str, limit: int = 300) -> str:
    value = data.get(field)
    if value is None:
        return ""
    if not isinstance(value, str) or len(value) > limit:
        raise InvalidInput(
            _("%(field)s must be text of at most %(limit)s characters.")
            % {"field": field, "limit": limit}
        )
    return value.strip()


def tracker_snapshot(config: TrackerConfig) -> dict[str, Any]:
    """What the audit log keeps: never the token or the secret, only whether they are set."""
    return {
        "team": config.team.slug,
        "kind": config.kind,
        "base_url": config.base_url,
        "project": config.project,
        "account": config.account,
        "issue_type": config.issue_type,
        "enabled": config.enabled,
        "token_set": bool(config.token_sealed),
        "webhook_secret_set": bool(config.webhook_secret_sealed),
    }


@transaction.atomic
def save_tracker(actor: User | None, team: Team, data: dict[str, Any]) -> TrackerConfig:
    """Set the team's tracker. Keys: kind (github | jira), base_url (the API root), project
    (GitHub "owner/name", Jira project key), account (Jira: the token's e-mail address),
    issue_type (Jira, default Task), token and webhook_secret (left out or empty: unchanged),
    enabled."""
    unknown = set(data) - FIELDS - {"enabled"}
    if unknown:
        raise InvalidInput(_("%(field)s cannot be set.") % {"field": ", ".join(sorted(unknown))})
    kind = _text(data, "kind")
    if kind not in TrackerKind.values:
        raise InvalidInput(
            _("Unknown tracker %(kind)s; use one of %(kinds)s.")
            % {"kind": kind, "kinds": ", ".join(TrackerKind.values)}
        )
    base_url = _text(data, "base_url")
    outbound.check_url(base_url, must_resolve=False)
    project = _text(data, "project", 200)
    pattern = GITHUB_REPOSITORY if kind == TrackerKind.GITHUB else JIRA_PROJECT
    if not pattern.match(project):
        raise InvalidInput(
            _("Give the repository as owner/name.")
            if kind == TrackerKind.GITHUB
            else _("Give the Jira project key in capitals, e.g. PAY.")
        )
    account = _text(data, "account", 200)
    if kind == TrackerKind.JIRA and not account:
        raise InvalidInput(_("Jira needs the e-mail address of the account the token belongs to."))
    config = TrackerConfig.objects.select_for_update().filter(team=team).first()
    before = tracker_snapshot(config) if config else None
    if config is None:
        config = TrackerConfig(team=team)
    config.kind, config.base_url, config.project, config.account = kind, base_url, project, account
    config.issue_type = _text(data, "issue_type", 50) or "Task"
    if token := _text(data, "token", SECRET_MAX):
        config.token_sealed = token  # sealed by the field
    if secret := _text(data, "webhook_secret", SECRET_MAX):
        config.webhook_secret_sealed = secret
    if "enabled" in data:
        config.enabled = bool(data["enabled"])
    if not config.token_sealed:
        raise InvalidInput(_("Give the API token Kizuki uses to create the issues."))
    config.updated_at = clock.now()
    config.save()
    record_audit(actor, "followup.tracker", config, before=before, after=tracker_snapshot(config))
    return config


@transaction.atomic
def remove_tracker(actor: User | None, team: Team) -> None:
    config = TrackerConfig.objects.select_for_update().filter(team=team).first()
    if config is None:
        raise NotFound(_("%(team)s has no issue tracker.") % {"team": team.slug})
    record_audit(actor, "followup.tracker_remove", config, before=tracker_snapshot(config))
    config.delete()


@transaction.atomic
def request_export(actor: User | None, followup: FollowUp) -> TrackerLink:
    """Ask for the follow-up's issue in its team's tracker; the job that creates it is enqueued
    in this transaction. Asking again while it runs changes nothing; after a failure it tries
    again with the same idempotency key (so an issue made by the failed try is found, not
    made twice)."""
    followup = FollowUp.objects.select_for_update().get(pk=followup.pk)
    config = queries.tracker_of(followup.team)
    if config is None or not config.enabled:
        raise InvalidInput(
            _("The follow-up's team has no issue tracker: an admin sets one up first.")
        )
    link = TrackerLink.objects.select_for_update().filter(followup=followup).first()
    if link is not None and link.state == LinkState.LINKED:
        raise Conflict(_("It is already in the tracker: %(url)s") % {"url": link.issue_url})
    if link is not None and link.state == LinkState.PENDING:
        return link
    now = clock.now()
    if link is None:
        link = TrackerLink(followup=followup, key=uuid.uuid4().hex, requested_at=now)
    link.config, link.state, link.error, link.requested_at = config, LinkState.PENDING, "", now
    link.save()
    Change.objects.create(
        followup=followup,
        event="export_requested",
        data={"tracker": config.kind},
        actor=actor,
        at=now,
    )
    record_audit(
        actor, "followup.export", followup, after={"tracker": config.kind, "key": link.key}
    )
    publish(
        events.FollowUpExportRequested(
            followup.pk, followup.incident_id, actor.pk if actor else None
        )
    )
    tasks.export_followup.enqueue(link.pk)
    return link
