"""What happens to alert groups, as published by alerts (see core.events). Fields are ids."""

from dataclasses import dataclass

from kizuki.core.events import Event


@dataclass(frozen=True)
class AlertGroupTriggered(Event):
    """A new alert group opened, firing, for `service_id` (published where ingestion opens
    it); `incident_id` is the incident its routing rule declared, if it declared one."""

    group_id: int
    service_id: int
    incident_id: int | None
