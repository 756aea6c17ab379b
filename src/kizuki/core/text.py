"""Checks for the free text people type into records (titles, sections, notes): one wording of
the refusals, whichever app keeps the record."""

from typing import Any

from django.utils.translation import gettext as _

from kizuki.core.errors import InvalidInput

TITLE_MAX = 200
TEXT_MAX = 20_000


def clean_title(title: Any) -> str:
    """A required one-line title: inner whitespace folded to single spaces."""
    if not isinstance(title, str) or not title.strip():
        raise InvalidInput(_("A title is required."))
    cleaned = " ".join(title.split())
    if len(cleaned) > TITLE_MAX:
        raise InvalidInput(_("The title may be at most 200 characters."))
    return cleaned


def clean_text(value: Any, field: str, limit: int = TEXT_MAX) -> str:
    """Optional text (None is empty), stripped, at most `limit` characters."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InvalidInput(_("%(field)s must be text.") % {"field": field})
    text = value.strip()
    if len(text) > limit:
        raise InvalidInput(
            _("%(field)s may be at most %(limit)s characters.") % {"field": field, "limit": limit}
        )
    return text
