"""What happens to follow-ups, as published by followups.actions, tracker_actions and
reminders (see core.events). Fields are ids and plain values; `actor_id` is None when Kizuki
itself acted (a reminder, the tracker closing the issue)."""

from dataclasses import dataclass

from kizuki.core.events import Event


@dataclass(frozen=True)
class FollowUpEvent(Event):
    """Base of every fact about one follow-up: subscribe to it to hear about them all."""

    followup_id: int
    incident_id: int
    actor_id: int | None


@dataclass(frozen=True)
class FollowUpCreated(FollowUpEvent):
    """A follow-up was written (from the retrospective, the incident, the API or Slack)."""


@dataclass(frozen=True)
class FollowUpEdited(FollowUpEvent):
    """Fields were changed (title, description, owner, team, kind, category, phase,
    milestones)."""

    fields: list[str]


@dataclass(frozen=True)
class FollowUpDueDateChanged(FollowUpEvent):
    """The due date moved, for `reason` (dates as ISO strings, None: no date)."""

    previous: str | None
    due_date: str | None
    reason: str


@dataclass(frozen=True)
class FollowUpStatusChanged(FollowUpEvent):
    """The follow-up moved from `previous` to `status` (open, in_progress, done, wont_do)."""

    previous: str
    status: str
    reason: str


@dataclass(frozen=True)
class FollowUpExportRequested(FollowUpEvent):
    """Someone asked for the follow-up's issue in its team's tracker (a job creates it)."""


@dataclass(frozen=True)
class FollowUpExported(FollowUpEvent):
    """The tracker has the follow-up's issue at `issue_url`."""

    issue_url: str


@dataclass(frozen=True)
class FollowUpReminded(FollowUpEvent):
    """A reminder (`kind`: due_soon or overdue) went to these people."""

    kind: str
    user_ids: list[int]
