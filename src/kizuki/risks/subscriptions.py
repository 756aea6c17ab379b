"""Every event the risks app listens to, and when its handler runs (see core.events)."""

from kizuki.core.events import AFTER_COMMIT, subscribe
from kizuki.risks import events, indexing


def register() -> None:
    # In the worker, after the risk's change committed: the search index.
    subscribe(events.RiskEvent, indexing.on_risk_changed, delivery=AFTER_COMMIT)
