"""Absolute links put into pages and e-mails: the alert group, and its one-click acknowledge
link, signed so it cannot be forged, and valid for ACK_LINK_DAYS by the injectable clock."""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.translation import gettext as _

from kizuki.core import clock
from kizuki.core.errors import NotFound

ACK_SALT = "kizuki.alerts.ack"
ACK_LINK_DAYS = 7


def absolute(path: str) -> str:
    return str(settings.KIZUKI_BASE_URL) + path


def group_url(group_id: int) -> str:
    return absolute(reverse("alert-group-detail", kwargs={"group_id": group_id}))


def ingest_url(token: str, kind: str) -> str:
    return absolute(reverse("api:alert-ingest", kwargs={"token": token, "kind": kind}))


def ack_token(group_id: int) -> str:
    return signing.dumps({"group": group_id, "at": int(clock.now().timestamp())}, salt=ACK_SALT)


def ack_url(group_id: int) -> str:
    return absolute(reverse("alert-ack", kwargs={"token": ack_token(group_id)}))


def group_from_ack_token(token: str) -> int:
    """The alert group an acknowledge link names; NotFound if forged, altered or expired."""
    try:
        data = signing.loads(token, salt=ACK_SALT)
        issued = int(data["at"])
        group_id = int(data["group"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise NotFound(_("This acknowledge link is not valid.")) from None
    age = clock.now().timestamp() - issued
    if age > timedelta(days=ACK_LINK_DAYS).total_seconds():
        raise NotFound(
            _("This acknowledge link has expired; open the alert group instead.")
        ) from None
    return group_id
