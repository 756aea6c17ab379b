"""Every event the automation app listens to, and when its handler runs (see core.events).

After commit, in the worker: rules act on changes that have committed, and a slow or failing
action (a webhook, a page) never holds up or undoes the change that triggered it."""

from kizuki.alerts import events as alerts
from kizuki.automation import running
from kizuki.core.events import AFTER_COMMIT, subscribe
from kizuki.followups import events as followups
from kizuki.incidents import events as incidents
from kizuki.retros import events as retros


def register() -> None:
    subscribe(incidents.IncidentReported, running.on_event, delivery=AFTER_COMMIT)
    # Also IncidentDeclared, a kind of status change (declared, mitigated, resolved, closed).
    subscribe(incidents.IncidentStatusChanged, running.on_event, delivery=AFTER_COMMIT)
    subscribe(incidents.SeverityChanged, running.on_event, delivery=AFTER_COMMIT)
    subscribe(alerts.AlertGroupTriggered, running.on_event, delivery=AFTER_COMMIT)
    subscribe(followups.FollowUpReminded, running.on_event, delivery=AFTER_COMMIT)
    subscribe(retros.RetrospectivePublished, running.on_event, delivery=AFTER_COMMIT)
