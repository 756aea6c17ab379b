"""Absolute links put in stakeholder messages, and the signed unsubscribe and confirmation
tokens.

The unsubscribe token is the subscription's id signed with SECRET_KEY: nothing secret is
stored, and a link stops working only if the key changes. The confirmation token also signs
when the confirmation was requested, so only the latest request's link works."""

from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "kizuki.stakeholders.unsubscribe"
CONFIRM_SALT = "kizuki.stakeholders.confirm"
# How long the link mailed to an anonymous subscriber works; then the request is dropped.
CONFIRM_WITHIN = timedelta(days=7)


def unsubscribe_token(subscription_id: int) -> str:
    return signing.Signer(salt=SALT).sign(str(subscription_id))


def subscription_id_from_token(token: str) -> int | None:
    try:
        value = signing.Signer(salt=SALT).unsign(token)
    except signing.BadSignature:
        return None
    return int(value) if value.isdigit() else None


def status_page_url() -> str:
    return settings.KIZUKI_BASE_URL + reverse("status-page")


def unsubscribe_url(subscription_id: int) -> str:
    path = reverse("status-unsubscribe-link", kwargs={"token": unsubscribe_token(subscription_id)})
    return settings.KIZUKI_BASE_URL + path


def confirmation_token(subscription_id: int, requested_at: datetime) -> str:
    return signing.Signer(salt=CONFIRM_SALT).sign(
        f"{subscription_id}.{requested_at.timestamp():.0f}"
    )


def confirmation_from_token(token: str) -> tuple[int, int] | None:
    """(subscription id, request time as a Unix timestamp), or None for a forged token."""
    try:
        value = signing.Signer(salt=CONFIRM_SALT).unsign(token)
    except signing.BadSignature:
        return None
    subscription_id, _dot, stamp = value.partition(".")
    if not (subscription_id.isdigit() and stamp.isdigit()):
        return None
    return int(subscription_id), int(stamp)


def confirm_url(subscription_id: int, requested_at: datetime) -> str:
    token = confirmation_token(subscription_id, requested_at)
    return settings.KIZUKI_BASE_URL + reverse("status-confirm", kwargs={"token": token})
