"""What the export job and the tracker report about a follow-up's issue, written down: the
issue created (or found), a failed try, and the issue closed or reopened there, which moves the
follow-up (run by sync.py, from the job, the webhook and the periodic look)."""

from django.db import transaction

from kizuki.core import clock
from kizuki.core.actions import record_audit
from kizuki.core.events import publish
from kizuki.followups import actions, events
from kizuki.followups.models import Change, FollowUp, LinkState, Status, TrackerLink
from kizuki.followups.trackers import Issue


@transaction.atomic
def record_export(link_id: int, issue: Issue) -> TrackerLink | None:
    """The job created (or found) the issue. None when another run recorded it first."""
    link = TrackerLink.objects.select_for_update().select_related("followup").get(pk=link_id)
    if link.state == LinkState.LINKED:
        return None
    now = clock.now()
    link.state, link.issue_id, link.issue_url = LinkState.LINKED, issue.id, issue.url
    link.issue_closed, link.error, link.linked_at, link.checked_at = issue.closed, "", now, now
    link.save()
    followup = link.followup
    Change.objects.create(
        followup=followup, event="exported", data={"issue": issue.id, "url": issue.url}, at=now
    )
    record_audit(None, "followup.exported", followup, after={"issue": issue.id, "url": issue.url})
    publish(events.FollowUpExported(followup.pk, followup.incident_id, None, issue.url))
    return link


@transaction.atomic
def record_export_failure(link_id: int, reason: str) -> None:
    link = TrackerLink.objects.select_for_update().get(pk=link_id)
    if link.state == LinkState.LINKED:
        return
    link.state, link.error = LinkState.FAILED, reason[:2000]
    link.save(update_fields=["state", "error"])
    Change.objects.create(
        followup_id=link.followup_id, event="export_failed", reason=reason[:2000], at=clock.now()
    )


def status_for(issue: Issue) -> str:
    if not issue.closed:
        return Status.OPEN
    return Status.WONT_DO if issue.not_planned else Status.DONE


@transaction.atomic
def record_issue_state(link_id: int, issue: Issue) -> FollowUp | None:
    """What the tracker says of the issue now (a webhook or a periodic look): a closed issue
    makes the follow-up done (won't do when closed as not planned), a reopened one opens it
    again. Returns the follow-up when it moved."""
    link = TrackerLink.objects.select_for_update().select_related("followup").get(pk=link_id)
    was_closed = link.issue_closed
    link.issue_closed, link.checked_at = issue.closed, clock.now()
    link.save(update_fields=["issue_closed", "checked_at"])
    if issue.closed == was_closed:
        return None  # nothing new there (a person may have moved the follow-up since)
    return actions.move_from_tracker(link.followup, status_for(issue), link.issue_url)
