"""Helpers around the apps' access checks (which raise NotAllowed)."""

from collections.abc import Callable
from typing import Any

from kizuki.core.errors import NotAllowed


def allows(check: Callable[..., object], *args: Any) -> bool:
    """True when `check(*args)` passes: pages use it to show only the actions a user may take."""
    try:
        check(*args)
    except NotAllowed:
        return False
    return True
