"""The timeline entries mobilisation writes (whom a report or a declaration paged, or why
nobody), in the reader's language. timeline_text.describe hands the events it does not know
here."""

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from kizuki.accounts.models import User


def _names(usernames: object) -> str:
    """Stored usernames as people know them (display names), in the stored order."""
    if not isinstance(usernames, list) or not usernames:
        return ""
    found = {user.username: user for user in User.objects.filter(username__in=usernames)}
    shown = [
        (found[name].get_full_name() or name) if name in found else str(name) for name in usernames
    ]
    return pgettext("list separator", ", ").join(shown)


def _joined(names: object) -> str:
    if not isinstance(names, list):
        return ""
    return pgettext("list separator", ", ").join(str(name) for name in names)


def _paged_on_call(data: dict[str, Any]) -> str:
    values = {
        "services": _joined(data.get("services")),
        "policy": data.get("policy", ""),
        "people": _names(data.get("people")),
    }
    if values["services"] and values["people"]:
        return _("Paged the on-call of %(services)s (policy %(policy)s): %(people)s.") % values
    if values["services"]:
        return _("Paged the on-call of %(services)s (policy %(policy)s).") % values
    if values["people"]:
        return _("Paged the triage on-call (policy %(policy)s): %(people)s.") % values
    return _("Paged the triage on-call (policy %(policy)s).") % values


def _paged_key_people(data: dict[str, Any]) -> str:
    people = _names(data.get("people"))
    if people:
        return _("Paged key people: %(people)s.") % {"people": people}
    return _("Paged key people, but nobody on the list has a way to be reached.")


def _nobody_paged(data: dict[str, Any]) -> str:
    match data.get("reason"):
        case "no_steps":
            return _("Nobody could be paged through %(policy)s: it has no steps.") % {
                "policy": data.get("policy", "")
            }
        case "drill_no_policy":
            return _(
                "Drill: nobody was paged, as no service it names has an escalation policy"
                " (drills never page the triage policy)."
            )
    return _(
        "Nobody could be paged: no service the report names has an escalation policy, and no"
        " triage policy is set."
    )


def _key_people_not_paged(data: dict[str, Any]) -> str:
    match data.get("reason"):
        case "drill":
            return _("Key people were not paged: this is a drill.")
        case "business_hours":
            return _(
                "Key people were not paged: it is business hours, and they are paged only"
                " outside them."
            )
    return _("Nobody could be paged as key people: none are set in the paging settings.")


def describe(event: str, data: dict[str, Any]) -> str:
    """The entry's words; an event that is not about paging is shown as its code."""
    match event:
        case "paged_on_call":
            return _paged_on_call(data)
        case "paged_key_people":
            return _paged_key_people(data)
        case "nobody_paged":
            return _nobody_paged(data)
        case "key_people_not_paged":
            return _key_people_not_paged(data)
    return event
