"""The rules a new installation starts with (created by migration 0002), reproducing the
seeds' flows. Each describes something Kizuki already does by itself, so each starts
disabled: enabling one as well would do the work twice. They are there to read, copy and
adapt (e.g. page the key people on SEV1/SEV2 only out of hours with an extra webhook).

- Asoview: a SEV1/SEV2 declared outside business hours pages all key people — built in:
  the severity's "page all key people" (SEV1, SEV2) with the paging settings' "only outside
  business hours" (incidents.mobilisation).
- Asoview/Merpay: on declaring, open the incident channel, post the guide and the
  commander's start-up checklist — built in: the chat app opens the channel and pins the
  guide for every declared incident, and the formations app posts the checklists of the
  severity (the start-up one for every severity) on declaring.
- Merpay: resolving an incident whose severity requires a retrospective requires it —
  built in: the retrospective policy per severity (retros.policy_actions)."""

from typing import Any

from django.utils.translation import gettext_lazy as _

DEFAULT_RULES: list[dict[str, Any]] = [
    {
        "key": "key-people-out-of-hours",
        "name": "SEV1/SEV2 declared out of business hours: page all key people",
        "event": "declared",
        "severities": [1, 2],
        "business_hours": "out",
        "actions": [{"kind": "page_key_people"}],
    },
    {
        "key": "channel-and-guide",
        "name": "Declared: open the chat channel, post the guide and the commander's start-up",
        "event": "declared",
        "actions": [
            {"kind": "open_channel"},
            {"kind": "post_checklist", "checklist": "commander-start-up"},
        ],
    },
    {
        "key": "retrospective-on-resolve",
        "name": "SEV1, SEV2 or SEV3 resolved: require the retrospective",
        "event": "resolved",
        "severities": [1, 2, 3],
        "actions": [{"kind": "require_retrospective"}],
    },
]

# The default rules' names and why they start disabled, in the reader's language (shown while
# the admins keep the stored English name).
NAMES = {
    "key-people-out-of-hours": _("SEV1/SEV2 declared out of business hours: page all key people"),
    "channel-and-guide": _(
        "Declared: open the chat channel, post the guide and the commander's start-up"
    ),
    "retrospective-on-resolve": _("SEV1, SEV2 or SEV3 resolved: require the retrospective"),
}
BUILT_IN = {
    "key-people-out-of-hours": _(
        "Kizuki already does this: a severity set to “page all key people” pages them on"
        " declaring, outside business hours only if the paging settings say so."
    ),
    "channel-and-guide": _(
        "Kizuki already does this: the chat app opens a channel and pins the guide for every"
        " declared incident when a Slack workspace is connected, and the commander's start-up"
        " checklist is posted on every declaration."
    ),
    "retrospective-on-resolve": _(
        "Kizuki already does this: the retrospective policy per severity requires one on resolving."
    ),
}


def display_name(key: str, name: str) -> str:
    """A default rule's name in the reader's language while it keeps its stored name."""
    found = next((rule for rule in DEFAULT_RULES if rule["key"] == key), None)
    if found is not None and found["name"] == name:
        return str(NAMES[key])
    return name
