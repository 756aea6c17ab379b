"""What a rule may say: the events it listens for, its conditions and its actions with their
parameters. Everything a rule stores is checked here before it is saved (InvalidInput with a
clear message otherwise), so a stored rule always makes sense to the runner."""

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kizuki.accounts import queries as accounts
from kizuki.automation.models import (
    DrillCondition,
    EventKind,
    HolidayCondition,
    HoursCondition,
)
from kizuki.catalog import queries as catalog
from kizuki.core.errors import InvalidInput, NotFound
from kizuki.formations import queries as formations
from kizuki.incidents import queries as incidents
from kizuki.notify import outbound
from kizuki.oncall import queries as oncall
from kizuki.schedules import queries as schedules

MAX_ACTIONS = 10
TEXT_MAX = 2000
TITLE_MAX = 200


@dataclass(frozen=True)
class ActionKind:
    key: str
    label: Any  # a lazy translation
    # Parameter name → "policy" | "schedule" | "role" | "checklist" | "text" | "title" | "url"
    params: dict[str, str]
    needs_incident: bool = True


ACTIONS: dict[str, ActionKind] = {
    kind.key: kind
    for kind in [
        ActionKind(
            "page_policy",
            gettext_lazy("Page an escalation policy"),
            {"policy": "policy"},
            needs_incident=False,
        ),
        ActionKind("page_key_people", gettext_lazy("Page the key people"), {}),
        ActionKind("open_channel", gettext_lazy("Open the chat channel"), {}),
        ActionKind(
            "assign_role",
            gettext_lazy("Assign a role to whoever is on call"),
            {"role": "role", "schedule": "schedule"},
        ),
        ActionKind("post_checklist", gettext_lazy("Post a checklist"), {"checklist": "checklist"}),
        ActionKind("create_followup", gettext_lazy("Create a follow-up"), {"title": "title"}),
        ActionKind("require_retrospective", gettext_lazy("Require the retrospective"), {}),
        ActionKind(
            "stakeholder_update", gettext_lazy("Send a stakeholder update"), {"text": "text"}
        ),
        ActionKind("webhook", gettext_lazy("Call a webhook"), {"url": "url"}, needs_incident=False),
    ]
}

# The events that concern an incident for sure (an alert group may have none).
EVENT_HINTS = {
    EventKind.ALERT_GROUP_TRIGGERED: gettext_lazy(
        "An alert group without an incident runs only the actions that need none (paging a"
        " policy, a webhook)."
    ),
}


def action_label(kind: str) -> str:
    found = ACTIONS.get(kind)
    return str(found.label) if found else kind


def clean_event(value: Any) -> str:
    if value not in EventKind.values:
        raise InvalidInput(
            _("Unknown event %(event)s; use one of %(names)s.")
            % {"event": value, "names": ", ".join(EventKind.values)}
        )
    return str(value)


def _choice(field: str, value: Any, choices: list[str]) -> str:
    if value not in choices:
        raise InvalidInput(
            _("%(field)s must be one of %(names)s.") % {"field": field, "names": ", ".join(choices)}
        )
    return str(value)


def _list(field: str, value: Any) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list) or len(value) > 100:
        raise InvalidInput(_("%(field)s must be a list.") % {"field": field})
    return value


def clean_severities(value: Any) -> list[int]:
    levels = {severity.level for severity in incidents.severities()}
    found: list[int] = []
    for item in _list("severities", value):
        if isinstance(item, bool) or not isinstance(item, int) or item not in levels:
            raise InvalidInput(_("Unknown severity %(level)s.") % {"level": item})
        if item not in found:
            found.append(item)
    return sorted(found)


def clean_services(value: Any) -> list[str]:
    slugs = [str(item) for item in _list("services", value)]
    known = {service.slug for service in catalog.services_by_slug(slugs)}
    missing = [slug for slug in slugs if slug not in known]
    if missing:
        raise InvalidInput(_("Unknown service %(service)s.") % {"service": ", ".join(missing)})
    return sorted(set(slugs))


def clean_teams(value: Any) -> list[str]:
    slugs = sorted({str(item) for item in _list("teams", value)})
    known = {team.slug for team in accounts.all_teams()}
    missing = [slug for slug in slugs if slug not in known]
    if missing:
        raise InvalidInput(_("Unknown team %(team)s.") % {"team": ", ".join(missing)})
    return slugs


def clean_conditions(data: dict[str, Any]) -> dict[str, Any]:
    """The condition fields present in `data`, checked."""
    cleaned: dict[str, Any] = {}
    if "severities" in data:
        cleaned["severities"] = clean_severities(data["severities"])
    if "services" in data:
        cleaned["services"] = clean_services(data["services"])
    if "teams" in data:
        cleaned["teams"] = clean_teams(data["teams"])
    if data.get("drill") is not None:
        cleaned["drill"] = _choice("drill", data["drill"], DrillCondition.values)
    if data.get("business_hours") is not None:
        cleaned["business_hours"] = _choice(
            "business_hours", data["business_hours"], HoursCondition.values
        )
    if data.get("holidays") is not None:
        cleaned["holidays"] = _choice("holidays", data["holidays"], HolidayCondition.values)
    return cleaned


def _int(name: str, value: Any) -> int:
    if isinstance(value, bool):
        raise InvalidInput(_("%(name)s must be a number.") % {"name": name})
    try:
        return int(value)
    except (TypeError, ValueError):
        raise InvalidInput(_("%(name)s must be a number.") % {"name": name}) from None


def _text(name: str, value: Any, limit: int) -> str:
    text = str(value or "").strip() if isinstance(value, str | int) else ""
    if not text:
        raise InvalidInput(_("%(name)s needs some text.") % {"name": name})
    if len(text) > limit:
        raise InvalidInput(
            _("%(name)s may be at most %(limit)s characters.") % {"name": name, "limit": limit}
        )
    return text


def _param(kind: str, name: str, what: str, value: Any) -> Any:
    try:
        match what:
            case "policy":
                policy = oncall.get_policy(_int(name, value))
                if not policy.steps.exists():
                    raise InvalidInput(_("%(name)s has no steps.") % {"name": policy.name})
                return policy.pk
            case "schedule":
                return schedules.get_schedule(_int(name, value)).pk
            case "checklist":
                return formations.get_template(str(value)).slug
            case "role":
                slugs = [role.slug for role in incidents.role_catalogue()]
                return _choice(name, value, slugs)
            case "title":
                return _text(name, value, TITLE_MAX)
            case "text":
                return _text(name, value, TEXT_MAX)
            case "url":
                url = _text(name, value, 500)
                outbound.check_url(url, must_resolve=False)
                return url
    except NotFound as error:
        raise InvalidInput(error.detail) from None
    raise InvalidInput(f"{kind}: {name}")  # pragma: no cover - ACTIONS names known kinds


def clean_actions(value: Any) -> list[dict[str, Any]]:
    """The ordered actions, each {"kind": …, parameters…}; unknown kinds or parameters,
    missing or bad values are refused."""
    if not isinstance(value, list) or not value:
        raise InvalidInput(_("A rule needs at least one action."))
    if len(value) > MAX_ACTIONS:
        raise InvalidInput(_("A rule may have at most %(count)s actions.") % {"count": MAX_ACTIONS})
    cleaned = []
    for item in value:
        if not isinstance(item, dict):
            raise InvalidInput(_("Each action is an object with a kind."))
        kind = ACTIONS.get(str(item.get("kind")))
        if kind is None:
            raise InvalidInput(
                _("Unknown action %(kind)s; use one of %(names)s.")
                % {"kind": item.get("kind"), "names": ", ".join(ACTIONS)}
            )
        extra = set(item) - {"kind"} - set(kind.params)
        if extra:
            raise InvalidInput(
                _("The action %(kind)s takes no %(names)s.")
                % {"kind": kind.key, "names": ", ".join(sorted(extra))}
            )
        action: dict[str, Any] = {"kind": kind.key}
        for name, what in kind.params.items():
            if item.get(name) is None:
                raise InvalidInput(
                    _("The action %(kind)s needs %(name)s.") % {"kind": kind.key, "name": name}
                )
            action[name] = _param(kind.key, name, what, item[name])
        cleaned.append(action)
    return cleaned
