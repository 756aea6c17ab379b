"""What happens to escalations, one class per line of the escalation history
(oncall.history.log_event publishes them in the writer's transaction; see core.events)."""

from dataclasses import dataclass
from typing import Any

from kizuki.core.events import Event


@dataclass(frozen=True)
class EscalationEvent(Event):
    """Base of every escalation fact: a line was added to the escalation's history. `user` is
    the username it concerns (paged, or who acted), `data` the line's details."""

    escalation_id: int
    user: str | None
    data: dict[str, Any]


@dataclass(frozen=True)
class EscalationTriggered(EscalationEvent):
    """Paging started (or a test notification was sent)."""


@dataclass(frozen=True)
class EscalationStepRan(EscalationEvent):
    """A policy step ran: `data` has the step number, users and channels paged."""


@dataclass(frozen=True)
class EscalationRepeated(EscalationEvent):
    """The policy started over from its first step."""


@dataclass(frozen=True)
class EscalationExhausted(EscalationEvent):
    """No steps are left; pages already made still go out until someone acknowledges."""


@dataclass(frozen=True)
class EscalationAcknowledged(EscalationEvent):
    """Someone acknowledged: no more steps or pages."""


@dataclass(frozen=True)
class EscalationResolved(EscalationEvent):
    """The problem is gone: no more steps or pages."""


@dataclass(frozen=True)
class PageSent(EscalationEvent):
    """A notification went out (`data`: method, step, page id)."""


@dataclass(frozen=True)
class PageFailed(EscalationEvent):
    """A notification could not be delivered (`data`: method, step, page id, error)."""


@dataclass(frozen=True)
class NobodyToPage(EscalationEvent):
    """A step found nobody on call, or a person without a way to reach them."""
