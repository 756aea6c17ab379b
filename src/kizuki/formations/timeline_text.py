"""The timeline entries the formations app writes (a checklist posted by a person, an item
ticked or unticked), in the reader's language.
Registered with incidents.timeline_text from FormationsConfig.ready()."""

from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _


def _pick(data: dict[str, Any], field: str) -> str:
    japanese = (get_language() or "").startswith("ja")
    return str(data.get(f"{field}_ja" if japanese else f"{field}_en") or "")


def checklist_posted(data: dict[str, Any]) -> str:
    values = {"checklist": _pick(data, "name"), "count": data.get("count", 0)}
    role = _pick(data, "role")
    if role:
        return _("Checklist %(checklist)s posted for the %(role)s (%(count)s items).") % {
            **values,
            "role": role,
        }
    return _("Checklist %(checklist)s posted (%(count)s items).") % values


def item_ticked(data: dict[str, Any]) -> str:
    return _("Ticked on %(checklist)s: %(item)s") % {
        "checklist": _pick(data, "name"),
        "item": _pick(data, "text"),
    }


def item_unticked(data: dict[str, Any]) -> str:
    return _("Unticked on %(checklist)s: %(item)s") % {
        "checklist": _pick(data, "name"),
        "item": _pick(data, "text"),
    }
