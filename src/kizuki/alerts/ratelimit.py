"""Called only from alerts.actions; the caller owns the transaction (count_alerts first in it).

Per-integration alert rate limit, counted in the database so every web process agrees."""

from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from kizuki.alerts.models import Integration, RateWindow
from kizuki.core.errors import RateLimited


def count_alerts(integration: Integration, count: int, now: datetime) -> None:
    """Add `count` alerts to this minute's window, or refuse them all with RateLimited.

    Call first thing in the ingest transaction: the UPDATE keeps the integration's window row
    locked until commit, so one integration's requests are applied one at a time (they never
    both insert one alert or open one group), while other integrations go on in parallel."""
    minute = now.replace(second=0, microsecond=0)
    limit = integration.rate_limit_per_minute
    window = RateWindow.objects.filter(integration=integration, minute=minute)
    if window.filter(count__lte=limit - count).update(count=F("count") + count):
        return
    used = window.values_list("count", flat=True).first()
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
