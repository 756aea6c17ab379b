"""The timeline entries the areas app writes (the proposal of area leads on declaration, a
commander's change of a lead), in the reader's language. Registered with
incidents.timeline_text from AreasConfig.ready()."""

from typing import Any

from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from kizuki.accounts.models import User


def _name(username: object) -> str:
    user = User.objects.filter(username=str(username)).first() if username else None
    return (user.get_full_name() or user.username) if user else str(username or "")


def _area(data: dict[str, Any]) -> str:
    japanese = (get_language() or "").startswith("ja")
    return str(data.get("name_ja" if japanese else "name_en") or data.get("area", ""))


def _reason(reason: object) -> str:
    if reason == "absent":
        return _("absent")
    return _("unreachable")


def _proposal(item: dict[str, Any]) -> str:
    values = {"area": _area(item), "lead": _name(item.get("lead"))}
    text = (
        _("%(area)s: %(lead)s") % values
        if item.get("lead")
        else _("%(area)s: nobody available") % values
    )
    skipped = [
        _("%(person)s, %(reason)s")
        % {"person": _name(s.get("username")), "reason": _reason(s.get("reason"))}
        for s in item.get("skipped") or []
        if isinstance(s, dict)
    ]
    if skipped:
        passed = pgettext("list separator", ", ").join(skipped)
        text = _("%(proposal)s (passed over: %(people)s)") % {"proposal": text, "people": passed}
    return text


def proposed(data: dict[str, Any]) -> str:
    items = [item for item in data.get("areas") or [] if isinstance(item, dict)]
    return _("Area leads proposed: %(areas)s.") % {
        "areas": pgettext("list separator", "; ").join(_proposal(item) for item in items)
    }


def changed(data: dict[str, Any]) -> str:
    values = {
        "area": _area(data),
        "lead": _name(data.get("lead")),
        "previous": _name(data.get("previous")),
    }
    if not data.get("lead"):
        return _("%(area)s now has no lead (was %(previous)s).") % values
    if not data.get("previous"):
        return _("%(lead)s now leads %(area)s.") % values
    return _("%(lead)s now leads %(area)s instead of %(previous)s.") % values
