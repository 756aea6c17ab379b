"""Called only from alerts.actions, before the ingest transaction opens.

Per-integration alert rate limit, counted in the database so every web process agrees.

A web process claims its share of a minute's window in blocks (a fiftieth of the limit, at
most 1,000 alerts) and spends a block in memory, so most requests write nothing for the
limit. The count never goes over the limit: a block is claimed only while it fits. What a
process claimed and did not spend lapses with the minute, so with several web processes an
integration near its limit may be refused up to one block per process early."""

import threading
from datetime import datetime

from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _

from kizuki.alerts.models import Integration, RateWindow
from kizuki.core.errors import RateLimited
from kizuki.core.sql import table

BLOCK_SHARE = 50
BLOCK_MAX = 1000

# Alerts claimed in the database and not yet spent by this process, by integration, token,
# limit and minute (a new token or limit starts afresh; other minutes are dropped).
Claim = tuple[int, str, int, datetime]
_unspent: dict[Claim, int] = {}
_unspent_lock = threading.Lock()


def count_alerts(integration: Integration, count: int, now: datetime) -> None:
    """Count `count` alerts against this minute's window, or refuse them all with RateLimited.

    Call outside the ingest transaction: a claim commits on its own, so the window row is
    locked inside the database for one conditional UPDATE, never while a request stores its
    alerts, and one integration's requests are stored in parallel. A request that fails
    after being counted still counts."""
    minute = now.replace(second=0, microsecond=0)
    limit = integration.rate_limit_per_minute
    key = (integration.pk, integration.token_digest, limit, minute)
    if _spend(key, count):
        return
    block = max(count, min(limit // BLOCK_SHARE, BLOCK_MAX))
    if _claim(integration.pk, minute, block, limit):
        _keep(key, block - count)
        return
    if block > count and _claim(integration.pk, minute, count, limit):
        return
    used = _used(integration.pk, minute) or 0
    seconds = 60 - now.second  # free again when this minute's window ends
    raise RateLimited(
        _(
            "Integration %(name)s allows %(limit)s alerts per minute and has received"
            " %(used)s this minute; try again in %(seconds)s seconds."
        )
        % {"name": integration.name, "limit": limit, "used": used, "seconds": seconds},
        seconds,
    )


def _spend(key: Claim, count: int) -> bool:
    with _unspent_lock:
        left = _unspent.get(key, 0)
        if left < count:
            return False
        _unspent[key] = left - count
        return True


def _keep(key: Claim, left: int) -> None:
    minute = key[3]
    with _unspent_lock:
        for stale in [claim for claim in _unspent if claim[3] != minute]:
            del _unspent[stale]
        _unspent[key] = _unspent.get(key, 0) + left


def _used(integration_id: int, minute: datetime) -> int | None:
    """The minute's count so far (None before its window is opened)."""
    window = RateWindow.objects.filter(integration_id=integration_id, minute=minute)
    used: int | None = window.values_list("count", flat=True).first()
    return used


def _claim(integration_id: int, minute: datetime, amount: int, limit: int) -> bool:
    """Add `amount` to the minute's window if the sum stays within the limit."""
    if _add(integration_id, minute, amount, limit):
        return True
    used = _used(integration_id, minute)
    if used is not None:
        # Another request opened the window after the UPDATE took its snapshot (READ
        # COMMITTED on PostgreSQL): if it still fits, count on that one.
        return used <= limit - amount and _claim(integration_id, minute, amount, limit)
    if amount > limit:
        return False
    RateWindow.objects.filter(integration_id=integration_id, minute__lt=minute).delete()
    try:
        with transaction.atomic():
            RateWindow.objects.create(integration_id=integration_id, minute=minute, count=amount)
    except IntegrityError:
        # Another request opened this minute's window first: count on that one.
        return _claim(integration_id, minute, amount, limit)
    return True


def _add(integration_id: int, minute: datetime, count: int, limit: int) -> bool:
    """The conditional UPDATE, written out in SQL: it runs on every claim, and building it
    with the ORM took longer than running it."""
    ops = connection.ops
    with connection.cursor() as cursor:
        cursor.execute(
            f'UPDATE {table(RateWindow)} SET "count" = "count" + %s'  # noqa: S608 - the model's table
            ' WHERE integration_id = %s AND minute = %s AND "count" <= %s',
            [count, integration_id, ops.adapt_datetimefield_value(minute), limit - count],
        )
        updated: int = cursor.rowcount
    return updated > 0
