"""The one source of "now": Kizuki's code never calls datetime.now() itself.

Tests step time with `set_now` (the `frozen_clock` fixture); the demo builds its history
inside `frozen_at`, which puts back whatever clock was in force."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

_frozen: datetime | None = None


def now() -> datetime:
    return _frozen if _frozen is not None else datetime.now(UTC)


@contextmanager
def frozen_at(moment: datetime) -> Iterator[None]:
    global _frozen  # noqa: PLW0603 - the clock is process-wide by design
    previous, _frozen = _frozen, moment
    try:
        yield
    finally:
        _frozen = previous


def set_now(moment: datetime | None) -> None:
    """Pin (or with None, release) the clock; for tests that step time forward."""
    global _frozen  # noqa: PLW0603 - the clock is process-wide by design
    _frozen = moment
