"""API shapes every app shares: times in UTC, the database's integer limit, one page of a list
(the answer to core.paging's PageQuery)."""

from datetime import UTC, datetime
from typing import Any, Generic, TypeVar

from ninja import Schema
from ninja.schema import DjangoGetter
from pydantic import ModelWrapValidatorHandler, ValidationInfo, model_validator

# The largest value an integer column holds, checked in schemas so oversized input is a 422
# rather than a database error.
INT_MAX = 2_147_483_647

T = TypeVar("T")


def utc(value: datetime | None) -> datetime | None:
    return value.astimezone(UTC) if value else None


class OutSchema(Schema):
    """A response shape our code builds from keyword arguments. Ninja reads every field of
    every schema through an attribute getter (for ORM objects and `resolve_*`), even a dict
    we built or a nested schema already made: two thirds of the time of a list of incidents.
    Here a dict and an instance go to pydantic's own validation; anything else (an ORM
    object) still goes through ninja's getter. The OpenAPI document is the same."""

    @model_validator(mode="wrap")
    @classmethod
    def _run_root_validator(
        cls, values: Any, handler: ModelWrapValidatorHandler[Any], info: ValidationInfo
    ) -> Any:
        if isinstance(values, dict | cls):
            return handler(values)
        return handler(DjangoGetter(values, cls, info.context))


class PageOut(OutSchema, Generic[T]):
    """One page of a list endpoint; subclass it per item type so the schema keeps its name."""

    items: list[T]
    count: int
    page: int
    pages: int
