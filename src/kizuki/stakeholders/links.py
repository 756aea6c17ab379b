"""Absolute links put in stakeholder messages, and the signed unsubscribe token.

The token is the subscription's id signed with SECRET_KEY: nothing secret is stored, and a
link stops working only if the key changes."""

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "kizuki.stakeholders.unsubscribe"


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
