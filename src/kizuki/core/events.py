"""In-process domain events, so a lower app can tell higher ones what happened without
importing them (the escalation engine tells alerts, which writes the incident timeline).
Handlers run synchronously, inside the emitting action's transaction."""

from collections import defaultdict
from collections.abc import Callable
from typing import Any

Handler = Callable[..., None]
_handlers: dict[str, list[Handler]] = defaultdict(list)


def subscribe(name: str, handler: Handler) -> None:
    if handler not in _handlers[name]:
        _handlers[name].append(handler)


def emit(name: str, **data: Any) -> None:
    for handler in _handlers[name]:
        handler(**data)
