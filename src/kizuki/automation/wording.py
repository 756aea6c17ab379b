"""The words for automation runs, in the reader's language: why a rule matched, what each
action did, and the two timeline entries rule runs write (registered with
incidents.timeline_text from AppConfig.ready(); stored as codes and data, worded on reading)."""

from typing import Any

from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from kizuki.automation.catalogue import action_label
from kizuki.automation.models import EventKind

RUN_ENTRY = "automation_run"
ACTION_ENTRY = "automation_action"


def _joined(items: list[str]) -> str:
    return pgettext("list separator", ", ").join(items)


def event_label(kind: str) -> str:
    return str(EventKind(kind).label) if kind in EventKind.values else kind


def reason(item: Any) -> str:
    """One stored reason ([code, value]) in words."""
    if not isinstance(item, list) or len(item) != 2:
        return str(item)
    code, value = item
    match code, value:
        case "severity", _:
            return _("severity SEV%(level)s") % {"level": value}
        case "severities", list():
            return _("severity %(levels)s") % {
                "levels": _joined([f"SEV{level}" for level in value])
            }
        case "services", _:
            return _("service %(names)s") % {
                "names": _joined([str(name) for name in value] if isinstance(value, list) else [])
            }
        case "team", _:
            return _("team %(team)s") % {"team": value}
        case "drill", "yes":
            return _("a drill")
        case "drill", _:
            return _("not a drill")
        case "business_hours", "in":
            return _("in business hours")
        case "business_hours", _:
            return _("outside business hours")
        case "holidays", "only":
            return _("on a Japanese public holiday")
        case "holidays", _:
            return _("not on a Japanese public holiday")
    return str(code)


def reasons(items: Any) -> str:
    """Why a rule matched, in words ("no conditions" when it has none)."""
    if not isinstance(items, list) or not items:
        return _("no conditions")
    return _joined([reason(item) for item in items])


def result(kind: str, found: Any) -> str:
    """What a succeeded action did, in a few words ("" when there is nothing to add)."""
    if not isinstance(found, dict):
        return ""
    if found.get("skipped") == "no_chat":
        return _("no chat workspace is connected, so there is no channel")
    match kind:
        case "page_policy":
            return _("paged through %(policy)s") % {"policy": found.get("policy", "")}
        case "page_key_people":
            names = [str(name) for name in found.get("people", []) + found.get("teams", [])]
            return (
                _("paged %(people)s") % {"people": _joined(names)}
                if names
                else _("nobody is set as key people")
            )
        case "assign_role":
            return _("%(user)s is now %(role)s (on call in %(schedule)s)") % {
                "user": found.get("user", ""),
                "role": found.get("role", ""),
                "schedule": found.get("schedule", ""),
            }
        case "post_checklist":
            language = get_language() or ""
            name = found.get("checklist_ja") if language.startswith("ja") else None
            return _("checklist “%(name)s”") % {"name": name or found.get("checklist", "")}
        case "create_followup":
            return _("follow-up “%(title)s”") % {"title": found.get("title", "")}
        case "webhook":
            return _("the webhook answered %(status)s") % {"status": found.get("status", "")}
        case "open_channel" if found.get("channel"):
            return _("channel %(channel)s") % {"channel": found["channel"]}
    return ""


def run_entry(data: dict[str, Any]) -> str:
    """Timeline: a rule matched and its actions start."""
    values = {
        "rule": data.get("rule", ""),
        "event": event_label(str(data.get("trigger", ""))),
        "why": reasons(data.get("why")),
        "actions": _joined([action_label(str(kind)) for kind in data.get("actions", [])]),
    }
    return _("Automation rule “%(rule)s” ran on “%(event)s” (%(why)s): %(actions)s.") % values


def action_entry(data: dict[str, Any]) -> str:
    """Timeline: how one action of a rule run went."""
    values = {
        "rule": data.get("rule", ""),
        "action": action_label(str(data.get("action", ""))),
        "attempt": data.get("attempt", 1),
        "error": data.get("error", ""),
        "result": result(str(data.get("action", "")), data.get("result")),
    }
    match data.get("status"):
        case "succeeded" if values["attempt"] != 1 and values["result"]:
            return (
                _("Rule “%(rule)s”: %(action)s succeeded on attempt %(attempt)s: %(result)s.")
                % values
            )
        case "succeeded" if values["attempt"] != 1:
            return _("Rule “%(rule)s”: %(action)s succeeded on attempt %(attempt)s.") % values
        case "succeeded" if values["result"]:
            return _("Rule “%(rule)s”: %(action)s done: %(result)s.") % values
        case "succeeded":
            return _("Rule “%(rule)s”: %(action)s done.") % values
        case "retrying":
            return (
                _(
                    "Rule “%(rule)s”: %(action)s failed (attempt %(attempt)s) and will be"
                    " tried again: %(error)s"
                )
                % values
            )
    return (
        _(
            "Rule “%(rule)s”: %(action)s failed and will not be tried again (attempt"
            " %(attempt)s): %(error)s"
        )
        % values
    )
