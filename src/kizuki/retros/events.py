"""What happens to retrospectives, as published by retros.actions (see core.events). Every
event carries `retrospective_id` and `incident_id`; `actor_id` is None when Kizuki itself
acted (the policy, the reminder job)."""

from dataclasses import dataclass

from kizuki.core.events import Event


@dataclass(frozen=True)
class RetrospectiveEvent(Event):
    """Base of every fact about one retrospective: subscribe to it to hear about them all."""

    retrospective_id: int
    incident_id: int
    actor_id: int | None


@dataclass(frozen=True)
class RetrospectiveRequired(RetrospectiveEvent):
    """A retrospective became required (by the severity's policy when the incident resolved,
    or by the commander); `due_at` is an ISO 8601 time or None."""

    due_at: str | None


@dataclass(frozen=True)
class RetrospectiveNotNeeded(RetrospectiveEvent):
    """The commander recorded that this incident needs no retrospective, and why."""

    reason: str


@dataclass(frozen=True)
class RetrospectiveStarted(RetrospectiveEvent):
    """The document was created from `template`, pre-filled from the incident."""

    template: str


@dataclass(frozen=True)
class RetrospectiveEdited(RetrospectiveEvent):
    """Text or details changed: `fields` names the section keys whose text changed and
    "owner", "due_at", "summary"; `version` is the current version number."""

    fields: list[str]
    version: int


@dataclass(frozen=True)
class RetrospectiveStatusChanged(RetrospectiveEvent):
    """The document moved from `previous` to `status` (draft, in_review, published)."""

    previous: str
    status: str


@dataclass(frozen=True)
class RetrospectiveSubmitted(RetrospectiveStatusChanged):
    """Sent for review (draft → in_review)."""


@dataclass(frozen=True)
class RetrospectivePublished(RetrospectiveStatusChanged):
    """Published (in_review → published): searchable, exportable, counted as done."""


@dataclass(frozen=True)
class RetrospectiveReopened(RetrospectiveStatusChanged):
    """A published retrospective went back to draft."""


@dataclass(frozen=True)
class ReviewRequested(RetrospectiveEvent):
    """`reviewer_id` was asked to review."""

    reviewer_id: int


@dataclass(frozen=True)
class ReviewGiven(RetrospectiveEvent):
    """`reviewer_id` approved or commented (`state`)."""

    reviewer_id: int
    state: str


@dataclass(frozen=True)
class SectionCommented(RetrospectiveEvent):
    """A comment on one section (`section`), or its resolution (`resolved`)."""

    comment_id: int
    section: str
    resolved: bool


@dataclass(frozen=True)
class RetrospectiveReminded(RetrospectiveEvent):
    """An overdue reminder went to the owner or the team (`kind`), to `user_ids`."""

    kind: str
    user_ids: list[int]
