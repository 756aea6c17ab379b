"""Called only by the worker (through the engine), which holds no transaction: the short
transactions are opened here, and none is open while sending. Never call it from an action.

Page delivery: lease a batch of due pages in a short transaction, send them with no
transaction open (e-mail over one SMTP connection), record the outcomes in another. A worker
that dies while sending leaves its pages 'sending' with a lease that runs out; the next worker
takes them over and sends them once more (the one case a person may get a message twice: a
crash between the send and its record — at most once per page, for the pages of the batch
the dead worker had sent).

Pages still go out while an escalation is exhausted (nobody acknowledged yet); they are
cancelled once it is acknowledged or resolved.
"""

import logging
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from django.db import transaction
from django.db.models import F, Q

from kizuki.core import clock
from kizuki.core.workloop import retry_while_database_away
from kizuki.notify.channels import SEND_TIMEOUT_SECONDS, Batch, DeliveryError
from kizuki.notify.models import Method
from kizuki.notify.queries import rules_for
from kizuki.oncall.history import log_event, log_events
from kizuki.oncall.models import EscalationStatus, EventKind, Page, PageStatus
from kizuki.oncall.pages import ACCOUNT_EMAIL, message, rule_page

logger = logging.getLogger(__name__)

# Longer than a channel may take (notify.channels.SEND_TIMEOUT_SECONDS), so a live sender
# never loses its page to a second worker.
LEASE = timedelta(seconds=60)
# Wait before the 2nd and 3rd attempt; after the 3rd failure the page has failed.
BACKOFF = (timedelta(seconds=30), timedelta(minutes=2))
MAX_ATTEMPTS = len(BACKOFF) + 1
# Pages one worker leases at a time: claimed in one query, recorded in one transaction.
BATCH = 100
# Pages a worker's tick sends at most, in batches: the tick's other jobs run between rounds.
PER_TICK = 3 * BATCH
# A batch sends no more once this much of its lease is gone, so that one more send, however
# slow (it gives up after SEND_TIMEOUT_SECONDS), still ends before the lease does.
SEND_BUDGET = LEASE - 2 * timedelta(seconds=SEND_TIMEOUT_SECONDS)
# SMTP connections a batch's e-mail shares at most: a message costs the worker little, most
# of its time goes on waiting for the server's replies (four per message), so several
# connections at once keep both busy. A connection is opened only for this many messages.
EMAIL_LANES = 4
PAGES_PER_LANE = 8
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
def claim(limit: int = BATCH) -> tuple[list[Page], int]:
    """Lease up to `limit` due pages (rows another worker holds are skipped, so workers take
    disjoint batches); cancel or fail on the way the due pages that must not be sent. Returns
    the leased pages (with their escalation and person) and how many were settled unsent."""
    now = clock.now()
    due = Q(status=PageStatus.PENDING, due_at__lte=now) | Q(
        status=PageStatus.SENDING, lease_until__lte=now
    )
    found = list(
        Page.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("escalation", "user")
        .filter(due)
        .order_by("due_at", "id")[:limit]
    )
    cancelled = [page.pk for page in found if page.escalation.status in STOPPED]
    Page.objects.filter(pk__in=cancelled).update(status=PageStatus.CANCELLED, lease_until=None)
    leased = []
    for page in found:
        if page.pk in cancelled:
            continue
        if page.status == PageStatus.SENDING and page.attempts >= MAX_ATTEMPTS:
            _fail(page, now, "the worker stopped while sending the last attempt")
            continue
        page.status, page.lease_until = PageStatus.SENDING, now + LEASE
        page.attempts += 1
        leased.append(page)
    Page.objects.filter(pk__in=[page.pk for page in leased]).update(
        status=PageStatus.SENDING, lease_until=now + LEASE, attempts=F("attempts") + 1
    )
    return leased, len(found) - len(leased)


@dataclass
class Outcome:
    """What became of one leased page: sent (no error), failed, or given back unsent."""

    page: Page
    error: DeliveryError | None = None
    given_back: bool = False


def _send(pages: list[Page]) -> list[Outcome]:
    """Hand the pages to their channels, with no transaction (or row lock) held meanwhile.
    A batch's e-mail goes out over up to EMAIL_LANES SMTP connections at once, each carrying
    its share in a row; the other channels send in this thread meanwhile. Once sending more
    could outlast the lease, the rest are given back unsent. Outcomes keep the batch's order."""
    started = time.monotonic()
    email = [page for page in pages if page.method == Method.EMAIL]
    lanes = min(EMAIL_LANES, len(email) // PAGES_PER_LANE)
    if lanes < 2:
        return _send_in_a_row(pages, started)
    others = [page for page in pages if page.method != Method.EMAIL]
    with ThreadPoolExecutor(max_workers=lanes, thread_name_prefix="pages") as pool:
        shares = [pool.submit(_send_in_a_row, email[n::lanes], started) for n in range(lanes)]
        outcomes = _send_in_a_row(others, started)
        for share in shares:
            outcomes += share.result()
    position = {page.pk: n for n, page in enumerate(pages)}
    return sorted(outcomes, key=lambda outcome: position[outcome.page.pk])


def _send_in_a_row(pages: list[Page], started: float) -> list[Outcome]:
    """Send one after the other (e-mail over one SMTP connection). Touches no database: a
    lane runs in a thread of its own."""
    outcomes = []
    with Batch() as channels:
        for page in pages:
            if time.monotonic() - started > SEND_BUDGET.total_seconds():
                outcomes.append(Outcome(page, given_back=True))
                continue
            try:
                subject, body = message(page)
                channels.channel(page.method).send(page.address, subject, body)
            except DeliveryError as error:
                outcomes.append(Outcome(page, error))
            except Exception as error:
                # A bug in a channel must not leave the page stuck until its lease runs out.
                logger.exception("page %s: unexpected error while sending", page.key)
                outcomes.append(Outcome(page, DeliveryError(f"{type(error).__name__}: {error}")))
            else:
                outcomes.append(Outcome(page))
    return outcomes


@transaction.atomic
def record(outcomes: list[Outcome]) -> None:
    """Record a batch's outcomes, each only where its attempt still holds the page (a later
    claim, after the lease ran out, bumped `attempts`: that worker records it instead)."""
    pages = [outcome.page for outcome in outcomes]
    held = dict(
        Page.objects.select_for_update()
        .filter(pk__in=[page.pk for page in pages], status=PageStatus.SENDING)
        .values_list("pk", "attempts")
    )
    mine = [outcome for outcome in outcomes if held.get(outcome.page.pk) == outcome.page.attempts]
    now = clock.now()
    sent = [outcome.page for outcome in mine if outcome.error is None and not outcome.given_back]
    Page.objects.filter(pk__in=[page.pk for page in sent]).update(
        status=PageStatus.SENT, sent_at=now, lease_until=None
    )
    log_events(
        [
            (
                page.escalation,
                EventKind.SENT,
                page.user,
                {"method": page.method, "step": page.step_index + 1, "page": page.pk},
            )
            for page in sent
        ]
    )
    # Not an attempt: the page goes back as it was, due at once.
    Page.objects.filter(pk__in=[o.page.pk for o in mine if o.given_back]).update(
        status=PageStatus.PENDING, lease_until=None, attempts=F("attempts") - 1
    )
    for outcome in mine:
        if outcome.error is not None:
            _record_failure(outcome.page, outcome.error, now)


def _record_failure(page: Page, error: DeliveryError, now: datetime) -> None:
    if error.permanent or page.attempts >= MAX_ATTEMPTS:
        _fail(page, now, error.reason)
        return
    page.status, page.last_error, page.lease_until = PageStatus.PENDING, error.reason, None
    page.due_at = now + BACKOFF[page.attempts - 1]
    page.save(update_fields=["status", "last_error", "lease_until", "due_at"])


def deliver_due_pages(limit: int = PER_TICK) -> int:
    """Send up to `limit` due pages, a batch at a time; returns how many pages it settled."""
    done = 0
    while done < limit:
        pages, settled = claim(min(BATCH, limit - done))
        done += settled
        if not pages:
            if not settled:
                break
            continue
        outcomes = _send(pages)
        # The messages are out: a database outage now must not lose that, or the leases would
        # run out and the pages go out a second time once the database is back.
        retry_while_database_away(partial(record, outcomes))
        done += len(pages)
    return done
