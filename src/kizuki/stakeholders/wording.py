"""Words for business people: incident statuses as they would say them, what an update says."""

from django.utils.translation import pgettext_lazy

from kizuki.incidents.models import StatusUpdate

# The bridge role's translation of the lifecycle: what stakeholders need to hear, not the
# responders' workflow names.
PLAIN_STATUS = {
    "reported": pgettext_lazy("plain status", "We are checking a report"),
    "acknowledged": pgettext_lazy("plain status", "We are checking a report"),
    "declared": pgettext_lazy("plain status", "We are investigating"),
    "mitigated": pgettext_lazy("plain status", "The problem is mitigated"),
    "resolved": pgettext_lazy("plain status", "Resolved"),
    "closed": pgettext_lazy("plain status", "Resolved"),
    "false_alarm": pgettext_lazy("plain status", "No problem was found"),
}


def plain_status(status: str) -> str:
    return str(PLAIN_STATUS.get(status, status))


def stakeholder_text(update: StatusUpdate) -> str:
    """What stakeholders read: the plain-language version when there is one."""
    return update.plain_text or update.text
