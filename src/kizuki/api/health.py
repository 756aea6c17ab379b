"""GET /api/v1/health: is the database there, and is paging running? 503 when it is not,
so a load balancer or a monitor can tell before an alert goes unanswered.

For an orchestrator's probes of one web process, two narrower answers: /health/live (the
process answers; never touches the database, so a database outage does not get every web
process restarted in a loop) and /health/ready (this process reaches the database; a stopped
worker does not take the web tier, and with it alert intake, out of the load balancer)."""

from datetime import datetime

from django.db import connection
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from kizuki.core.outage import DATABASE_ERRORS
from kizuki.oncall.liveness import BEAT_STALE_AFTER, STEP_LATE_AFTER, paging_status

router = Router(tags=["health"])


class HealthOut(Schema):
    status: str = Field(
        description='"ok"; "paging_stopped" (see reason) or "database_unavailable" with 503.'
    )
    reason: str = Field(
        default="", description="Why the status is not ok, in the request's language."
    )
    database: str = Field(description='"sqlite", "postgresql" or "unreachable".')
    worker_last_beat: datetime | None = Field(
        default=None, description="When a worker last reported in; null if none ever has."
    )
    worker_beat_age_seconds: float | None = Field(
        default=None,
        description=f"Seconds since that beat; over {BEAT_STALE_AFTER.seconds} means 503.",
    )
    oldest_due_step_age_seconds: float | None = Field(
        default=None,
        description="How overdue the oldest due escalation step is; null if none is due.",
    )
    oldest_due_page_age_seconds: float | None = Field(
        default=None, description="How overdue the oldest page waiting to be sent is; null if none."
    )
    oldest_ready_job_age_seconds: float | None = Field(
        default=None,
        description="Age of the oldest queued background job ready to run; null if none.",
    )
    paging_late_after_seconds: int = Field(
        default=int(STEP_LATE_AFTER.total_seconds()),
        description="A due step or page older than this means 503.",
    )


def _age(now: datetime, at: datetime | None) -> float | None:
    return None if at is None else round((now - at).total_seconds(), 1)


@router.get("/health", auth=None, response={200: HealthOut, 503: HealthOut})
def health(request: HttpRequest) -> Status[HealthOut]:  # noqa: ARG001 - ninja passes it
    try:
        paging = paging_status()
    except DATABASE_ERRORS:
        reason = _("The database is unavailable right now. Retry in a few seconds.")
        out = HealthOut(status="database_unavailable", reason=reason, database="unreachable")
        return Status(503, out)
    reason = paging.reason
    out = HealthOut(
        status="paging_stopped" if reason else "ok",
        reason=reason,
        database=connection.vendor,
        worker_last_beat=paging.last_beat,
        worker_beat_age_seconds=_age(paging.now, paging.last_beat),
        oldest_due_step_age_seconds=_age(paging.now, paging.oldest_due_step),
        oldest_due_page_age_seconds=_age(paging.now, paging.oldest_due_page),
        oldest_ready_job_age_seconds=_age(paging.now, paging.oldest_ready_job),
    )
    return Status(503 if reason else 200, out)


class HealthLiveOut(Schema):
    status: str = Field(description='Always "ok": the process is up and answering.')


class HealthReadyOut(Schema):
    status: str = Field(description='"ok", or "database_unavailable" with 503.')
    reason: str = Field(
        default="", description="Why the status is not ok, in the request's language."
    )


@router.get("/health/live", auth=None, response={200: HealthLiveOut})
def liveness(request: HttpRequest) -> HealthLiveOut:  # noqa: ARG001 - ninja passes it
    return HealthLiveOut(status="ok")


@router.get("/health/ready", auth=None, response={200: HealthReadyOut, 503: HealthReadyOut})
def readiness(request: HttpRequest) -> Status[HealthReadyOut]:  # noqa: ARG001 - ninja passes it
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DATABASE_ERRORS:
        reason = _("The database is unavailable right now. Retry in a few seconds.")
        return Status(503, HealthReadyOut(status="database_unavailable", reason=reason))
    return Status(200, HealthReadyOut(status="ok"))
