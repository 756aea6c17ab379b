"""One page of a list endpoint: clamp the requested page and size, count, slice."""

from dataclasses import dataclass
from math import ceil
from typing import Any, Generic, TypeVar

from django.db.models import Model, QuerySet
from ninja import Schema

M = TypeVar("M", bound=Model)


class PageQuery(Schema):
    """The query parameters of a list endpoint."""

    page: int = 1
    page_size: int = 50


@dataclass
class Slice(Generic[M]):
    items: list[M]
    count: int
    page: int
    pages: int

    def fields(self, items: list[Any]) -> dict[str, Any]:
        """The page's fields for a response schema, with the items already serialised."""
        return {"items": items, "count": self.count, "page": self.page, "pages": self.pages}


def page_of(found: QuerySet[M], page: int, size: int, max_size: int) -> Slice[M]:
    size = min(max(size, 1), max_size)
    page = max(page, 1)
    count = found.count()
    start = (page - 1) * size
    # A page past the end is empty without asking the database (huge offsets overflow it).
    items = list(found[start : start + size]) if start < count else []
    return Slice(items, count, page, ceil(count / size))
