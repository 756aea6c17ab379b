"""Who may do what from Slack. Everything but reporting is the incidents app's own check,
made for the Kizuki user the Slack account matches; these are the Slack-only rules."""

from django.utils.translation import gettext as _

from kizuki.accounts.models import User
from kizuki.chat.users import SlackPerson
from kizuki.core.errors import NotAllowed
from kizuki.incidents import access as incidents_access


def can_report_from_slack(someone: SlackPerson) -> User | None:
    """Anyone in the workspace may report: Slack signed the request, so they are one of us.
    Returns the matching Kizuki user, or None for a member without an account."""
    if someone.user is not None:
        return incidents_access.can_report(someone.user)
    if not someone.slack_id:
        raise NotAllowed(_("Slack did not say who you are."))
    return None


def no_account_hint(someone: SlackPerson) -> str:
    """Said after a refusal to someone whose Slack e-mail matches no Kizuki account."""
    if someone.user is not None:
        return ""
    return _(
        "Your Slack e-mail address (%(email)s) matches no Kizuki account; anyone may"
        " `/incident report`, and an admin can give you an account for the rest."
    ) % {"email": someone.email or _("not visible")}
