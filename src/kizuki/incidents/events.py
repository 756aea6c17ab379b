"""What happens to incidents, as published by incidents.actions and timeline_actions (see
core.events). Fields are ids and plain values; `actor_id` is None when Kizuki itself acted."""

from dataclasses import dataclass

from kizuki.core.events import Event


@dataclass(frozen=True)
class IncidentEvent(Event):
    """Base of every fact about one incident: subscribe to it to hear about them all."""

    incident_id: int
    actor_id: int | None


@dataclass(frozen=True)
class IncidentReported(IncidentEvent):
    """Someone (or an alert) filed a new incident; `page_on_call`: the report should page
    its services' on-call (False when an alert that already pages filed it)."""

    page_on_call: bool = True


@dataclass(frozen=True)
class IncidentStatusChanged(IncidentEvent):
    """The incident moved: `transition` is the move's name, `status` where it landed."""

    transition: str
    previous: str
    status: str
    severity: int | None


@dataclass(frozen=True)
class IncidentDeclared(IncidentStatusChanged):
    """The incident was declared, with `severity` (a status change, so its subscribers hear
    it too)."""


@dataclass(frozen=True)
class SeverityChanged(IncidentEvent):
    """The incident's severity level changed (None: not yet known)."""

    previous: int | None
    severity: int | None


@dataclass(frozen=True)
class IncidentEdited(IncidentEvent):
    """Descriptive fields were edited (title, impact, links, team, services, ...)."""

    fields: list[str]


@dataclass(frozen=True)
class RoleAssigned(IncidentEvent):
    """`user_id` now holds `role`; `previous_user_ids` handed it over (single-holder roles)."""

    role: str
    user_id: int
    previous_user_ids: list[int]


@dataclass(frozen=True)
class RoleReleased(IncidentEvent):
    """`user_id` no longer holds `role`."""

    role: str
    user_id: int


@dataclass(frozen=True)
class TimelineEntryAdded(IncidentEvent):
    """A note was added to the timeline."""

    entry_id: int


@dataclass(frozen=True)
class TimelineEntryEdited(IncidentEvent):
    """A note's text or time was changed."""

    entry_id: int


@dataclass(frozen=True)
class TimelineEntryRemoved(IncidentEvent):
    """A note was hidden from the timeline (the audit log keeps it)."""

    entry_id: int


@dataclass(frozen=True)
class StatusUpdatePosted(IncidentEvent):
    """A status update was posted, for the responders or also for the stakeholders."""

    status_update_id: int
    audience: str


@dataclass(frozen=True)
class PagingRecorded(IncidentEvent):
    """An alert or paging step went on the timeline (`event`: alert_linked, escalated,
    page_sent, page_failed, page_acknowledged)."""

    entry_id: int
    event: str


@dataclass(frozen=True)
class SeverityDefinitionChanged(Event):
    """The definition of a severity level (names, policies) was edited; it applies to every
    incident of that level."""

    level: int
    actor_id: int | None
    fields: list[str]


@dataclass(frozen=True)
class PrivacyChanged(IncidentEvent):
    """The incident became private (seen only by its participants and admins) or public."""

    private: bool
