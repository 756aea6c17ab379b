"""API shapes every app shares: times in UTC, the database's integer limit, one page of a list
(the answer to core.paging's PageQuery)."""

from datetime import UTC, datetime
from typing import Generic, TypeVar

from ninja import Schema

# The largest value an integer column holds, checked in schemas so oversized input is a 422
# rather than a database error.
INT_MAX = 2_147_483_647

T = TypeVar("T")


def utc(value: datetime | None) -> datetime | None:
    return value.astimezone(UTC) if value else None


class PageOut(Schema, Generic[T]):
    """One page of a list endpoint; subclass it per item type so the schema keeps its name."""

    items: list[T]
    count: int
    page: int
    pages: int
