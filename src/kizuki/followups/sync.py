"""Talking to the trackers: the export job (find the issue by its idempotency key, else create
it), the periodic look at linked issues (Jira has no webhook here; GitHub's webhook may be
missed), and GitHub's `issues` webhook, verified with the tracker's secret. Writes go through
link_actions; no database lock is held while a tracker is asked."""

import hashlib
import hmac
import json
import logging
from datetime import timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from kizuki.core import clock, sealing
from kizuki.core.errors import InvalidInput, NotAllowed
from kizuki.followups import link_actions, queries
from kizuki.followups.models import FollowUp, LinkState, TrackerKind
from kizuki.followups.trackers import CALL_ERRORS, Issue, TrackerError, describe, tracker_for

logger = logging.getLogger(__name__)

# How often a linked issue is asked about (each periodic round asks only the ones due).
PULL_EVERY = timedelta(minutes=15)
PULL_BATCH = 50


def link_to(followup: FollowUp) -> str:
    return str(settings.KIZUKI_BASE_URL) + reverse("followup-detail", args=[followup.pk])


def issue_body(followup: FollowUp) -> str:
    """The issue's text, in Kizuki's language (KIZUKI_LANGUAGE): the description and where the
    follow-up comes from."""
    with translation.override(settings.LANGUAGE_CODE):
        facts = [
            _("Follow-up %(ref)s of %(incident)s %(title)s")
            % {
                "ref": followup.ref,
                "incident": followup.incident.ref,
                "title": followup.incident.title,
            },
            _("Owner: %(owner)s") % {"owner": followup.owner.username if followup.owner else "-"},
            _("Due: %(due)s")
            % {"due": followup.due_date.isoformat() if followup.due_date else "-"},
            link_to(followup),
        ]
    return "\n\n".join(filter(None, [followup.description, "\n".join(facts)]))


def export(link_id: int) -> bool:
    """Create (or find) the follow-up's issue; whether it is linked now. A failure is recorded
    on the follow-up; asking again retries with the same key."""
    link = queries.get_link(link_id)
    if link is None or link.state == LinkState.LINKED:
        return link is not None
    followup = link.followup
    try:
        tracker = tracker_for(link.config)
        issue = tracker.find_issue(link.key) or tracker.create_issue(
            followup.title, issue_body(followup), link.key
        )
    except TrackerError as error:
        link_actions.record_export_failure(link.pk, error.reason)
        return False
    except CALL_ERRORS as error:
        reason = describe(error)
        logger.warning("export of follow-up %s failed: %s", followup.pk, reason)
        link_actions.record_export_failure(link.pk, reason)
        return False
    link_actions.record_export(link.pk, issue)
    return True


def pull_states() -> int:
    """The periodic look: ask each tracker about the linked issues not asked about for
    PULL_EVERY; returns how many follow-ups moved."""
    moved = 0
    trackers = {}
    for link in queries.links_to_check(clock.now() - PULL_EVERY)[:PULL_BATCH]:
        try:
            if link.config_id not in trackers:
                trackers[link.config_id] = tracker_for(link.config)
            issue = trackers[link.config_id].issue_state(link.issue_id)
        except TrackerError as error:
            logger.warning("tracker %s: %s", link.config_id, error.reason)
            issue = Issue(link.issue_id, link.issue_url, closed=False)
        except CALL_ERRORS as error:
            logger.warning(
                "issue %s of follow-up %s: %s", link.issue_id, link.followup_id, describe(error)
            )
            issue = Issue(link.issue_id, link.issue_url, closed=False)
        if link_actions.record_issue_state(link.pk, issue) is not None:
            moved += 1
    return moved


def _verify(secret: str, body: bytes, signature: str) -> None:
    expected = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    if not secret or not hmac.compare_digest(expected, signature):
        raise NotAllowed(_("The webhook signature does not match the tracker's secret."))


def github_webhook(tracker_id: int, event: str, signature: str, body: bytes) -> str:
    """GitHub's `issues` webhook for the tracker `tracker_id`: verify X-Hub-Signature-256,
    then follow the issue's closing or reopening. Returns what was done, for the answer."""
    config = queries.get_tracker(tracker_id)
    if config.kind != TrackerKind.GITHUB:
        raise InvalidInput(_("This tracker is not GitHub."))
    secret = config.webhook_secret_sealed
    if sealing.is_sealed(secret):  # no configured key opens it: every signature fails
        secret = ""
    _verify(secret, body, signature)
    if event == "ping":
        return "pong"
    if event != "issues":
        return "ignored"
    try:
        payload = json.loads(body)
        action = str(payload["action"])
        number = str(int(payload["issue"]["number"]))
        reason = payload["issue"].get("state_reason")
    except (ValueError, KeyError, TypeError, OverflowError):
        raise InvalidInput(_("Not an issues event.")) from None
    if action not in {"closed", "reopened"}:
        return "ignored"
    link = queries.link_for_issue(config, number)
    if link is None:
        return "not ours"
    issue = Issue(
        number, link.issue_url, closed=action == "closed", not_planned=reason == "not_planned"
    )
    moved = link_actions.record_issue_state(link.pk, issue)
    return "moved" if moved else "unchanged"
