"""Side effects as subscribers of events, through a transactional outbox.

An action records its events with ``events_record``: in the same transaction, one
``EventDelivery`` row per subscriber registered for each event's kind. Once the transaction
commits, the worker is nudged; ``dispatch_pending`` hands each delivery to its subscriber
and marks it delivered **in the same transaction as the subscriber's effect**, so that a
subscriber whose effect is in the database (a mail record, an index row, a deadline) runs
exactly once, even if a process is killed at any point: a crash before the commit leaves
the delivery pending, and the next run (nudge, periodic sweep, worker start) hands it over
again. Due deliveries go a batch per transaction (``_deliver_batch``); a failure rolls back
that subscriber's effect only, and that delivery is retried later with back-off; after
``MAX_ATTEMPTS`` it is marked failed, and an administrator sees it in the admin and can
retry it. An effect outside the database (a webhook's POST) is at least once: a crash in
the middle of a batch hands the whole batch over again, and so does, within the batch, a
failing delivery (see ``_deliver_batch``).

A subscriber is added without touching any action::

    @subscriber("webhooks", Event.Kind.CREATED, Event.Kind.STATUS)
    def send_webhooks(event: Event) -> None: ...

registered when its app is ready (import the module in ``AppConfig.ready``).
"""

import datetime
import logging
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from parvis.tickets.models import Event, EventDelivery

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
BATCH = 50  # deliveries per transaction: a short one, even on SQLite (one writer at a time)

Handler = Callable[[Event], None]
BatchHandler = Callable[[list[Event]], None]


@dataclass(frozen=True)
class Subscriber:
    """A side effect of some kinds of events. ``name`` is stored in its deliveries: keep it."""

    name: str
    kinds: frozenset[str]
    handle: Handler
    wants: Callable[[Event], bool] | None = None
    handle_many: BatchHandler | None = None


_subscribers: dict[str, Subscriber] = {}
_nudges: list[Callable[[], None]] = []


def subscriber(
    name: str,
    *kinds: str,
    wants: Callable[[Event], bool] | None = None,
    many: BatchHandler | None = None,
) -> Callable[[Handler], Handler]:
    """Register ``handle`` for these event kinds.

    ``wants``, if given, says from the event alone (its facts, its ticket as the action has
    it in memory, the settings: no query) whether this subscriber has anything to do with
    it; no delivery is recorded for an event it does not want. A status change that closes
    nothing need not cost the satisfaction survey a row and a turn of the worker.

    ``many``, if given, does for a list of events (in their deliveries' order) what
    ``handle`` does for each, in fewer statements: the dispatcher hands it this
    subscriber's deliveries of a batch at once. If it fails, the batch is handed over again
    one delivery at a time through ``handle``, as for any failure.
    """

    def register(handle: Handler) -> Handler:
        kind_set = frozenset(str(kind) for kind in kinds)
        _subscribers[name] = Subscriber(name, kind_set, handle, wants, many)
        return handle

    return register


def unsubscribe(name: str) -> None:
    """Forget a subscriber (tests that register their own)."""
    _subscribers.pop(name, None)


def subscribers_for(kind: str) -> list[Subscriber]:
    return [s for s in _subscribers.values() if kind in s.kinds]


def on_recorded(nudge: Callable[[], None]) -> None:
    """Call ``nudge`` after the commit of every transaction that recorded deliveries.

    The worker registers how it wants to be woken up (``parvis.tickets.tasks``).
    """
    if nudge not in _nudges:
        _nudges.append(nudge)


def events_record(events: Sequence[Event]) -> list[Event]:
    """Save new events and their deliveries, inside the caller's transaction."""
    Event.objects.bulk_create(events)
    deliveries = [
        EventDelivery(event=event, subscriber=s.name, next_attempt_at=event.created_at)
        for event in events
        for s in subscribers_for(event.kind)
        if s.wants is None or s.wants(event)
    ]
    if deliveries:
        EventDelivery.objects.bulk_create(deliveries)
        for nudge in _nudges:
            transaction.on_commit(nudge)
    return list(events)


def dispatch_pending(*, limit: int = BATCH) -> int:
    """Hand every due delivery to its subscriber; return how many were delivered."""
    delivered = 0
    while True:
        claimed, done = _deliver_batch(limit)
        delivered += done
        if claimed < limit or not done:
            return delivered


def _deliver_batch(limit: int) -> tuple[int, int]:
    """Claim up to ``limit`` due deliveries and hand them over, in one transaction.

    One query finds what is due (most nudges find little or nothing: that query alone), one
    claims the batch with the events and what their subscribers read (locked; rows another
    worker holds are skipped), one marks the delivered ones, one commit: not a transaction
    of four statements per delivery. The batch runs in one savepoint; if a subscriber fails,
    that savepoint is rolled back and the batch handed over again one delivery per savepoint
    (``_deliver_each``), so that the failure undoes its own effect only: that delivery is
    recorded as failed and retried later, the others go through. Failures are rare: the
    common batch pays two statements, not two per delivery. A subscriber registered with
    ``many`` gets its deliveries of the batch in one call (the deadlines: the batch's tickets
    locked, their histories read and their deadlines stored in three statements, not three
    per ticket). A process killed in the middle rolls the whole batch back: it is handed
    over again.
    """
    due = list(
        EventDelivery.objects.filter(_PENDING, next_attempt_at__lte=timezone.now())
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    if not due:
        return 0, 0
    with transaction.atomic():
        batch = _claim(due)
        try:
            with transaction.atomic():
                _handle_batch(batch)
            delivered = [delivery.pk for delivery in batch]
        except Exception:  # one failed: its effect must not take the others' with it
            delivered = _deliver_each(batch)
        if delivered:
            EventDelivery.objects.filter(pk__in=delivered).update(
                delivered_at=timezone.now(), attempts=F("attempts") + 1
            )
    return len(due), len(delivered)


_PENDING = Q(delivered_at__isnull=True, failed_at__isnull=True)


def _handle(delivery: EventDelivery) -> None:
    handler = _subscribers.get(delivery.subscriber)
    if handler is None:
        raise LookupError(f"no subscriber named {delivery.subscriber!r}")
    handler.handle(delivery.event)


def _handle_batch(batch: list[EventDelivery]) -> None:
    """Every delivery of the batch; those of a subscriber with ``many``, in one call each,
    made where its first delivery stands (one event's mails are written in the order its
    subscribers' deliveries were: the citizen's before the agents' notice, as alone)."""
    grouped: dict[str, list[Event]] = {}
    steps: list[EventDelivery | Subscriber] = []
    for delivery in batch:
        handler = _subscribers.get(delivery.subscriber)
        if handler is None or handler.handle_many is None:
            steps.append(delivery)
        elif handler.name in grouped:
            grouped[handler.name].append(delivery.event)
        else:
            grouped[handler.name] = [delivery.event]
            steps.append(handler)
    for step in steps:
        if isinstance(step, Subscriber):
            assert step.handle_many is not None
            step.handle_many(grouped[step.name])
        else:
            _handle(step)


def _deliver_each(batch: list[EventDelivery]) -> list[int]:
    """Each delivery in its own savepoint; the failed ones recorded: the delivered ones' ids."""
    delivered: list[int] = []
    for delivery in batch:
        try:
            with transaction.atomic():
                _handle(delivery)
        except Exception:  # a subscriber's failure is recorded and retried, never lost
            logger.exception("delivery %s failed", delivery.pk)
            _record_failure(delivery, traceback.format_exc(limit=5))
        else:
            delivered.append(delivery.pk)
    return delivered


_READ_WITH_EVENT = (
    "event__actor",
    "event__ticket__service",
    "event__ticket__request_type",
    "event__ticket__requester",
)


def _claim(delivery_ids: list[int]) -> list[EventDelivery]:
    """Those still pending, locked until the transaction ends, with their events, tickets and
    what the citizen's mails read of them (requester, démarche, service, the event's actor)."""
    deliveries = (
        EventDelivery.objects.select_related(*_READ_WITH_EVENT)
        .filter(_PENDING, pk__in=delivery_ids)
        .order_by("next_attempt_at", "pk")
    )
    if connection.features.has_select_for_update_skip_locked:
        # Another worker holding some is delivering them: leave those to that one.
        deliveries = deliveries.select_for_update(skip_locked=True, of=("self",))
    # On SQLite, the transaction is IMMEDIATE: it holds the write lock, so no other worker
    # is in here at the same time, and the rows read are current.
    return list(deliveries)


def _record_failure(delivery: EventDelivery, error: str) -> None:
    delivery.attempts += 1
    delivery.last_error = error[-4000:]
    now = timezone.now()
    if delivery.attempts >= MAX_ATTEMPTS:
        delivery.failed_at = now
    else:
        delivery.next_attempt_at = now + backoff(delivery.attempts)
    delivery.save(update_fields=["attempts", "last_error", "failed_at", "next_attempt_at"])


def backoff(attempts: int) -> datetime.timedelta:
    """30 s, 1 min, 2 min, 4 min… up to 1 hour between tries."""
    return datetime.timedelta(seconds=min(30 * 2 ** (attempts - 1), 3600))


@transaction.atomic
def deliveries_retry(*, delivery_ids: Sequence[int]) -> int:
    """An administrator asks to try failed deliveries again, now."""
    return EventDelivery.objects.filter(pk__in=delivery_ids, delivered_at__isnull=True).update(
        failed_at=None, next_attempt_at=timezone.now(), attempts=0
    )


@transaction.atomic
def deliveries_drop_pending() -> int:
    """Mark every pending delivery as done without handing it over (a demo's past history)."""
    return EventDelivery.objects.filter(delivered_at__isnull=True).update(
        delivered_at=timezone.now(), last_error="dropped"
    )
