"""Called only from stakeholders.actions (and its worker clean-up); the caller owns the
transaction.

The rate limit on anonymous subscribe requests, counted in the database so every web
process agrees (and SQLite works): a few per hour from one client address, and to one
e-mail address, so a public status page cannot be used to flood someone's inbox."""

from datetime import datetime, timedelta

from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from kizuki.core.errors import RateLimited
from kizuki.stakeholders.models import SubscribeRequest

WINDOW = timedelta(hours=1)
PER_CLIENT = 20  # an office behind one address may hold several people subscribing
PER_ADDRESS = 5


def _key(kind: str, value: str) -> str:
    # Keyed hashes: the table holds no address, and no one can look one up without the key.
    return f"{kind}:" + salted_hmac("kizuki.stakeholders.ratelimit", value).hexdigest()[:64]


def count_request(client: str, address: str, now: datetime) -> None:
    """Count one anonymous request, or refuse it with RateLimited (counting nothing)."""
    since = now - WINDOW
    for key, limit in (
        (_key("client", client), PER_CLIENT),
        (_key("address", address), PER_ADDRESS),
    ):
        recent = SubscribeRequest.objects.filter(key=key, requested_at__gt=since)
        times = list(
            recent.order_by("-requested_at").values_list("requested_at", flat=True)[:limit]
        )
        if len(times) >= limit:
            # Free again when the oldest request that still counts leaves the window.
            seconds = max(1, int((times[-1] + WINDOW - now).total_seconds()) + 1)
            raise RateLimited(
                _(
                    "Too many subscribe requests from here or to this address; try again in"
                    " %(minutes)s minutes."
                )
                % {"minutes": (seconds + 59) // 60},
                retry_after=seconds,
            )
    SubscribeRequest.objects.bulk_create(
        [
            SubscribeRequest(key=_key("client", client), requested_at=now),
            SubscribeRequest(key=_key("address", address), requested_at=now),
        ]
    )


def forget_old(now: datetime) -> int:
    deleted, _per_model = SubscribeRequest.objects.filter(requested_at__lte=now - WINDOW).delete()
    return deleted
