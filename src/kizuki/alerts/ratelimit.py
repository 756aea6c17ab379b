"""Called only from alerts.actions, before the ingest transaction opens.

Per-integration alert rate limit, counted in the database so every web process agrees."""

from datetime import datetime

from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _

from kizuki.alerts.models import Integration, RateWindow
from kizuki.core.errors import RateLimited


def count_alerts(integration: Integration, count: int, now: datetime) -> None:
    """Add `count` alerts to this minute's window, or refuse them all with RateLimited.

    Call outside the ingest transaction: each statement here commits on its own, so the
    window row is locked inside the database for one conditional UPDATE, never while a
    request stores its alerts (nor while its thread waits for Python), and one
    integration's requests are stored in parallel. The count stays exact (the UPDATE adds
    only while the sum stays within the limit); a request that fails after being counted
    still counts."""
    minute = now.replace(second=0, microsecond=0)
    limit = integration.rate_limit_per_minute
    if _add(integration.pk, minute, count, limit):
        return
    window = RateWindow.objects.filter(integration=integration, minute=minute)
    used = window.values_list("count", flat=True).first()
    if used is not None and used <= limit - count:
        # Another request opened the window after the UPDATE took its snapshot (READ
        # COMMITTED on PostgreSQL): it is there now, so count on it instead of refusing.
        count_alerts(integration, count, now)
        return
    if used is None and count <= limit:
        RateWindow.objects.filter(integration=integration, minute__lt=minute).delete()
        try:
            with transaction.atomic():
                RateWindow.objects.create(integration=integration, minute=minute, count=count)
        except IntegrityError:
            # Another request opened this minute's window first: count on that one.
            count_alerts(integration, count, now)
        return
    seconds = 60 - now.second  # free again when this minute's window ends
    raise RateLimited(
        _(
            "Integration %(name)s allows %(limit)s alerts per minute and has received"
            " %(used)s this minute; try again in %(seconds)s seconds."
        )
        % {"name": integration.name, "limit": limit, "used": used or 0, "seconds": seconds},
        seconds,
    )


def _add(integration_id: int, minute: datetime, count: int, limit: int) -> bool:
    """The conditional UPDATE, written out in SQL: it runs on every request, and building it
    with the ORM took longer than running it."""
    ops = connection.ops
    table = ops.quote_name(RateWindow._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f'UPDATE {table} SET "count" = "count" + %s'  # noqa: S608 - the model's table
            ' WHERE integration_id = %s AND minute = %s AND "count" <= %s',
            [count, integration_id, ops.adapt_datetimefield_value(minute), limit - count],
        )
        updated: int = cursor.rowcount
    return updated > 0
