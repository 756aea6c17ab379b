"""Who may report by e-mail: the single checkpoint the mail entry points go through."""

from django.conf import settings
from django.utils.translation import gettext as _

from kizuki.accounts.models import User
from kizuki.accounts.queries import active_user_by_email
from kizuki.core.errors import NotAllowed
from kizuki.incidents import access as incidents_access


def can_report_by_mail(address: str) -> User | None:
    """The Kizuki user who reports (matched by e-mail address, case-insensitively), or None
    for a sender without an account whose domain is in KIZUKI_MAIL_ALLOWED_DOMAINS.

    The From address is what the sender's mail server vouches for, no more: deploy behind an
    MTA that checks SPF/DKIM/DMARC. Reporting is open to everyone in the organisation on the
    web too, so a forged From can file a report in someone's name but gains no other right."""
    user = active_user_by_email(address)
    if user is not None:
        return incidents_access.can_report(user)
    domain = address.rpartition("@")[2].lower() if "@" in address else ""
    if domain and domain in settings.KIZUKI_MAIL_ALLOWED_DOMAINS:
        return None
    raise NotAllowed(
        _("%(address)s is neither a Kizuki user nor in a domain allowed to report by e-mail.")
        % {"address": address or _("(no sender address)")}
    )
