"""Called only by the worker (through the engine), which holds no transaction: the short
transactions are opened here, and none is open while sending. Never call it from an action.

Page delivery: lease a due page in a short transaction, send it with no transaction open,
record the outcome in another. A worker that dies while sending leaves the page 'sending'
with a lease that runs out; the next worker takes it over and sends it once more (the one
case a person may get a message twice: a crash between the send and its record).

Pages still go out while an escalation is exhausted (nobody acknowledged yet); they are
cancelled once it is acknowledged or resolved.
"""

import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q

from kizuki.core import clock
from kizuki.core.workloop import retry_while_database_away
from kizuki.notify.channels import DeliveryError, channel_for
from kizuki.notify.queries import rules_for
from kizuki.oncall.history import log_event
from kizuki.oncall.models import EscalationStatus, EventKind, Page, PageStatus
from kizuki.oncall.pages import ACCOUNT_EMAIL, message, rule_page

logger = logging.getLogger(__name__)

# Longer than a channel may take (notify.channels.SEND_TIMEOUT_SECONDS), so a live sender
# never loses its page to a second worker.
LEASE = timedelta(seconds=60)
# Wait before the 2nd and 3rd attempt; after the 3rd failure the page has failed.
BACKOFF = (timedelta(seconds=30), timedelta(minutes=2))
MAX_ATTEMPTS = len(BACKOFF) + 1
STOPPED = {EscalationStatus.ACKNOWLEDGED, EscalationStatus.RESOLVED}


def _fall_through(page: Page, now: datetime) -> None:
    """The page failed for good: reach the person by their next rule now, not after its delay."""
    if page.user is None or page.key.endswith(f":{ACCOUNT_EMAIL}"):
        return
    later = [rule for rule in rules_for(page.user) if rule.position > page.rule_position]
    if not later:
        return
    escalation = page.escalation
    backup = rule_page(
        escalation,
        page.user,
        later[0],
        step_index=page.step_index,
        repetition=page.repetition,
        now=now,
    )
    Page.objects.bulk_create([backup], ignore_conflicts=True)
    Page.objects.filter(key=backup.key, status=PageStatus.PENDING, due_at__gt=now).update(
        due_at=now
    )


def _fail(page: Page, now: datetime, reason: str) -> None:
    page.status, page.last_error, page.lease_until = PageStatus.FAILED, reason, None
    page.save(update_fields=["status", "last_error", "lease_until"])
    log_event(
        page.escalation,
        EventKind.FAILED,
        page.user,
        method=page.method,
        step=page.step_index + 1,
        page=page.pk,
        error=reason,
    )
    _fall_through(page, now)


@transaction.atomic
def _claim() -> tuple[Page | None, int]:
    """Lease the next due page; cancel or fail the due pages that must not be sent on the way.
    Returns the leased page (or None) and how many were settled without sending."""
    now = clock.now()
    due = Q(status=PageStatus.PENDING, due_at__lte=now) | Q(
        status=PageStatus.SENDING, lease_until__lte=now
    )
    settled = 0
    while True:
        page = (
            Page.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("escalation")
            .filter(due)
            .order_by("due_at", "id")
            .first()
        )
        if page is None:
            return None, settled
        if page.escalation.status in STOPPED:
            page.status, page.lease_until = PageStatus.CANCELLED, None
            page.save(update_fields=["status", "lease_until"])
        elif page.status == PageStatus.SENDING and page.attempts >= MAX_ATTEMPTS:
            _fail(page, now, "the worker stopped while sending the last attempt")
        else:
            page.status, page.lease_until = PageStatus.SENDING, now + LEASE
            page.attempts += 1
            page.save(update_fields=["status", "lease_until", "attempts"])
            return page, settled
        settled += 1


def _leased(page_id: int, attempt: int) -> Page | None:
    """The page, locked, if this attempt still holds it (a later claim bumped `attempts`)."""
    return (
        Page.objects.select_for_update(of=("self",))
        .select_related("escalation", "user")
        .filter(pk=page_id, status=PageStatus.SENDING, attempts=attempt)
        .first()
    )


@transaction.atomic
def _record_sent(page_id: int, attempt: int) -> None:
    page = _leased(page_id, attempt)
    if page is None:
        return
    page.status, page.sent_at, page.lease_until = PageStatus.SENT, clock.now(), None
    page.save(update_fields=["status", "sent_at", "lease_until"])
    log_event(
        page.escalation,
        EventKind.SENT,
        page.user,
        method=page.method,
        step=page.step_index + 1,
        page=page.pk,
    )


@transaction.atomic
def _record_failure(page_id: int, attempt: int, reason: str, *, permanent: bool) -> None:
    page = _leased(page_id, attempt)
    if page is None:
        return
    now = clock.now()
    if permanent or attempt >= MAX_ATTEMPTS:
        _fail(page, now, reason)
        return
    page.status, page.last_error, page.lease_until = PageStatus.PENDING, reason, None
    page.due_at = now + BACKOFF[attempt - 1]
    page.save(update_fields=["status", "last_error", "lease_until", "due_at"])


def _send(page: Page) -> None:
    """Hand the page to its channel, with no transaction (or row lock) held meanwhile."""
    page = Page.objects.select_related("escalation", "user").get(pk=page.pk)
    try:
        subject, body = message(page)
        channel_for(page.method).send(page.address, subject, body)
    except DeliveryError as error:
        _record_failure(page.pk, page.attempts, error.reason, permanent=error.permanent)
    except Exception as error:
        # A bug in a channel must not leave the page stuck until its lease runs out.
        logger.exception("page %s: unexpected error while sending", page.key)
        _record_failure(page.pk, page.attempts, f"{type(error).__name__}: {error}", permanent=False)
    else:
        # The message is out: a database outage now must not lose that, or the lease would
        # run out and the page go out a second time once the database is back.
        retry_while_database_away(lambda: _record_sent(page.pk, page.attempts))


def deliver_due_pages(limit: int = 50) -> int:
    """Send up to `limit` due pages one at a time; returns how many pages it settled."""
    done = 0
    while done < limit:
        page, settled = _claim()
        done += settled
        if page is None:
            break
        _send(page)
        done += 1
    return done
