"""What happens to risk records, as published by risks.actions and risks.link_actions (see
core.events). Fields are ids; `actor_id` is None when Kizuki itself acted."""

from dataclasses import dataclass

from kizuki.core.events import Event


@dataclass(frozen=True)
class RiskEvent(Event):
    """Base of every fact about one risk: subscribe to it to hear about them all."""

    risk_id: int
    actor_id: int | None


@dataclass(frozen=True)
class RiskRecorded(RiskEvent):
    """A risk was recorded (by hand, from a finding, a retrospective or a follow-up)."""


@dataclass(frozen=True)
class RiskChanged(RiskEvent):
    """A risk's text, scores, status, owner or links changed."""
