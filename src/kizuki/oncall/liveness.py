"""Is paging running? Read from the worker's heartbeat and from how late the oldest due
escalation step or page is. The health check and the "paging has stopped" banner use it."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Max, Min, Q
from django.utils.translation import gettext as _
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from kizuki.core import clock
from kizuki.core.models import WorkerHeartbeat
from kizuki.oncall.models import Escalation, EscalationStatus, Page, PageStatus

# The worker beats every few seconds; a minute of silence means it is gone or stuck.
BEAT_STALE_AFTER = timedelta(seconds=60)
# A step or page this late means the worker is alive but not getting through.
STEP_LATE_AFTER = timedelta(minutes=5)


@dataclass(frozen=True)
class PagingStatus:
    now: datetime
    last_beat: datetime | None
    oldest_due_step: datetime | None
    oldest_due_page: datetime | None
    oldest_ready_job: datetime | None

    @property
    def reason(self) -> str:
        """Why paging is not running, or "" when it is."""
        if self.last_beat is None:
            return _("No worker has ever run: nobody is paged until `kizuki worker` runs.")
        if self.now - self.last_beat > BEAT_STALE_AFTER:
            return _("The worker has not been heard from for %(seconds)d seconds.") % {
                "seconds": (self.now - self.last_beat).total_seconds()
            }
        due = [at for at in (self.oldest_due_step, self.oldest_due_page) if at is not None]
        oldest = min(due, default=None)
        if oldest is not None and self.now - oldest > STEP_LATE_AFTER:
            return _("Paging is %(minutes)d minutes behind.") % {
                "minutes": (self.now - oldest).total_seconds() // 60
            }
        return ""


def last_beat() -> datetime | None:
    last: datetime | None = WorkerHeartbeat.objects.aggregate(last=Max("last_beat"))["last"]
    return last


def paging_status() -> PagingStatus:
    """Everything the health check reports, in four indexed aggregate queries."""
    now = clock.now()
    return PagingStatus(
        now=now,
        last_beat=last_beat(),
        oldest_due_step=Escalation.objects.filter(
            status=EscalationStatus.ACTIVE, next_due_at__lte=now
        ).aggregate(at=Min("next_due_at"))["at"],
        oldest_due_page=Page.objects.filter(status=PageStatus.PENDING, due_at__lte=now).aggregate(
            at=Min("due_at")
        )["at"],
        oldest_ready_job=DBTaskResult.objects.filter(status=TaskResultStatus.READY)
        .filter(Q(run_after=get_date_max()) | Q(run_after__lte=now))
        .aggregate(at=Min("enqueued_at"))["at"],
    )


def paging_stopped() -> bool:
    """The banner's cheap check: at most two queries per page view."""
    now = clock.now()
    beat = last_beat()
    if beat is None or now - beat > BEAT_STALE_AFTER:
        return True
    late = now - STEP_LATE_AFTER
    steps = Escalation.objects.filter(status=EscalationStatus.ACTIVE, next_due_at__lt=late)
    pages = Page.objects.filter(status=PageStatus.PENDING, due_at__lt=late)
    # One query: a UNION of the two indexed lookups, stopping at the first row.
    either = steps.order_by().values("pk").union(pages.order_by().values("escalation_id"))
    return bool(either[:1])
