"""The outbox's dispatcher: each delivery handed over once, a failure alone, nudges coalesced."""

import itertools
import threading
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone
from huey.contrib.djhuey import HUEY

from parvis.intake.pipeline import intake_submit
from parvis.notifications.models import Mail
from parvis.tickets import outbox, tasks
from parvis.tickets.models import Channel, Event, EventDelivery, Ticket
from parvis.tickets.structures import IncomingRequest, RequesterData

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _citizen_email_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """The counts below are the citizen's email's and the tests' own subscribers': the
    others of ``created`` (deadlines, SMS) are left out."""
    kept = {name: s for name, s in outbox._subscribers.items() if name == "citizen_email"}
    monkeypatch.setattr(outbox, "_subscribers", kept)


@pytest.fixture
def no_nudge(monkeypatch: pytest.MonkeyPatch) -> None:
    """Commits do not wake the (immediate, in tests) worker: deliveries stay pending."""
    monkeypatch.setattr(outbox, "_nudges", [])


@pytest.fixture
def file_ticket(catalog: None) -> Any:
    """file_ticket() → a new ticket whose deliveries nobody handed over yet."""

    numbers = itertools.count(1)

    def file() -> Ticket:
        # A citizen each: one address's acknowledgements are capped per hour (ADR 0018).
        email = f"camille.{next(numbers)}@example.fr"
        return intake_submit(
            incoming=IncomingRequest(
                channel=Channel.WEB,
                requester=RequesterData("Camille Martin", email),
                subject="Trou dans la chaussée",
                description="Devant le 12 rue Victor Hugo.",
            ),
            actor=None,
        ).ticket

    return file


@pytest.fixture
def seen() -> Iterator[Counter[int]]:
    """A test subscriber of ``created`` events: counts each ticket it is handed."""
    counts: Counter[int] = Counter()

    @outbox.subscriber("test_counter", Event.Kind.CREATED)
    def count(event: Event) -> None:
        counts[event.ticket_id] += 1

    yield counts
    outbox.unsubscribe("test_counter")


def _pending() -> int:
    return EventDelivery.objects.filter(delivered_at__isnull=True, failed_at__isnull=True).count()


def test_every_pending_delivery_is_handed_over_once(
    no_nudge: None, seen: Counter[int], file_ticket: Any
) -> None:
    tickets = [file_ticket() for _ in range(3)]
    assert _pending() == 6  # the citizen's email and the test counter, for each
    assert outbox.dispatch_pending() == 6
    assert outbox.dispatch_pending() == 0
    assert seen == {t.pk: 1 for t in tickets}
    assert Mail.objects.filter(template="acknowledgement").count() == 3
    assert set(EventDelivery.objects.values_list("attempts", flat=True)) == {1}


def test_more_than_a_batch_is_delivered_in_one_dispatch(
    no_nudge: None, seen: Counter[int], file_ticket: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(outbox, "BATCH", 2)
    for _ in range(3):
        file_ticket()
    assert outbox.dispatch_pending(limit=2) == 6
    assert _pending() == 0


def test_a_failing_subscriber_fails_alone_and_its_effect_is_undone(
    no_nudge: None, file_ticket: Any
) -> None:
    first, second = file_ticket(), file_ticket()

    @outbox.subscriber("test_failing", Event.Kind.CREATED)
    def fail_on_first(event: Event) -> None:
        Ticket.objects.filter(pk=event.ticket_id).update(subject="écrit puis annulé")
        if event.ticket_id == first.pk:
            raise RuntimeError("service distant injoignable")

    try:
        # The deliveries were recorded before the subscriber existed: add its own.
        EventDelivery.objects.bulk_create(
            EventDelivery(event=e, subscriber="test_failing")
            for e in Event.objects.filter(kind=Event.Kind.CREATED)
        )
        before = timezone.now()
        assert outbox.dispatch_pending() == 3  # two emails, and the second ticket's
    finally:
        outbox.unsubscribe("test_failing")
    failed = EventDelivery.objects.get(subscriber="test_failing", event__ticket=first)
    assert failed.delivered_at is None and failed.failed_at is None
    assert failed.attempts == 1
    assert "service distant injoignable" in failed.last_error
    assert failed.next_attempt_at > before + outbox.backoff(1) - timezone.timedelta(seconds=1)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.subject != "écrit puis annulé"  # rolled back with its savepoint
    assert second.subject == "écrit puis annulé"
    assert Mail.objects.filter(template="acknowledgement").count() == 2


def test_a_subscriber_with_many_gets_its_deliveries_of_a_batch_in_one_call(
    no_nudge: None, file_ticket: Any
) -> None:
    tickets = [file_ticket() for _ in range(3)]
    calls: list[list[int]] = []
    alone: list[int] = []

    def handle_many(events: list[Event]) -> None:
        calls.append([event.ticket_id for event in events])

    @outbox.subscriber("test_many", Event.Kind.CREATED, many=handle_many)
    def handle(event: Event) -> None:
        alone.append(event.ticket_id)

    try:
        EventDelivery.objects.bulk_create(
            EventDelivery(event=e, subscriber="test_many")
            for e in Event.objects.filter(kind=Event.Kind.CREATED)
        )
        assert outbox.dispatch_pending() == 6  # three emails, three to the test subscriber
    finally:
        outbox.unsubscribe("test_many")
    assert calls == [[t.pk for t in tickets]]  # once, in the deliveries' order
    assert alone == []
    assert _pending() == 0


def test_many_is_called_where_its_subscriber_s_first_delivery_stands(
    no_nudge: None, file_ticket: Any
) -> None:
    tickets = [file_ticket() for _ in range(2)]
    order: list[tuple[str, object]] = []

    def handle_many(events: list[Event]) -> None:
        order.append(("many", [event.ticket_id for event in events]))

    @outbox.subscriber("test_many", Event.Kind.CREATED, many=handle_many)
    def handle(event: Event) -> None:
        raise AssertionError("handed over alone")

    @outbox.subscriber("test_after", Event.Kind.CREATED)
    def after(event: Event) -> None:
        order.append(("after", event.ticket_id))

    try:
        EventDelivery.objects.bulk_create(
            EventDelivery(event=e, subscriber=name)
            for e in Event.objects.filter(kind=Event.Kind.CREATED).order_by("pk")
            for name in ("test_many", "test_after")
        )
        assert outbox.dispatch_pending() == 6
    finally:
        outbox.unsubscribe("test_many")
        outbox.unsubscribe("test_after")
    # Each ticket's "test_many" delivery came before its "test_after" one: so do the effects.
    first, second = (t.pk for t in tickets)
    assert order == [("many", [first, second]), ("after", first), ("after", second)]


def test_when_many_fails_each_delivery_goes_alone_and_fails_alone(
    no_nudge: None, file_ticket: Any
) -> None:
    first, second = file_ticket(), file_ticket()
    alone: list[int] = []

    def handle_many(events: list[Event]) -> None:
        Ticket.objects.filter(pk__in=[e.ticket_id for e in events]).update(subject="annulé")
        raise RuntimeError("lot refusé")

    @outbox.subscriber("test_many", Event.Kind.CREATED, many=handle_many)
    def handle(event: Event) -> None:
        if event.ticket_id == first.pk:
            raise RuntimeError("service distant injoignable")
        alone.append(event.ticket_id)

    try:
        EventDelivery.objects.bulk_create(
            EventDelivery(event=e, subscriber="test_many")
            for e in Event.objects.filter(kind=Event.Kind.CREATED)
        )
        assert outbox.dispatch_pending() == 3  # two emails, and the second ticket's
    finally:
        outbox.unsubscribe("test_many")
    assert alone == [second.pk]
    failed = EventDelivery.objects.get(subscriber="test_many", event__ticket=first)
    assert failed.delivered_at is None and failed.attempts == 1
    assert Ticket.objects.filter(subject="annulé").count() == 0  # the batch's effect undone
    assert Mail.objects.filter(template="acknowledgement").count() == 2


def test_a_delivery_that_keeps_failing_is_marked_failed(no_nudge: None, file_ticket: Any) -> None:
    file_ticket()
    delivery = EventDelivery.objects.get()
    delivery.subscriber = "nobody_by_this_name"
    delivery.save(update_fields=["subscriber"])
    for _attempt in range(outbox.MAX_ATTEMPTS):
        EventDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
        assert outbox.dispatch_pending() == 0
    delivery.refresh_from_db()
    assert delivery.attempts == outbox.MAX_ATTEMPTS
    assert delivery.failed_at is not None
    assert "nobody_by_this_name" in delivery.last_error


def test_a_nudge_is_skipped_while_another_waits_to_start(no_nudge: None, file_ticket: Any) -> None:
    file_ticket()
    HUEY.put_if_empty(tasks.NUDGED, "1")  # a dispatch is queued and has not started
    tasks.nudge()  # no second job (Huey runs jobs at once in tests: it would deliver)
    assert _pending() == 1
    tasks.dispatch_events()  # the queued one starts: it lowers the flag, then delivers
    assert _pending() == 0
    assert HUEY.put_if_empty(tasks.NUDGED, "1")  # lowered: the next commit nudges again
    HUEY.delete(tasks.NUDGED)


def test_the_sweep_lowers_a_flag_left_by_a_lost_dispatch(no_nudge: None, file_ticket: Any) -> None:
    file_ticket()
    HUEY.put_if_empty(tasks.NUDGED, "1")
    tasks.sweep_events.call_local()
    assert _pending() == 0
    assert HUEY.put_if_empty(tasks.NUDGED, "1")
    HUEY.delete(tasks.NUDGED)


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite has one writer: no two dispatchers at once"
)
def test_two_dispatchers_at_once_hand_each_delivery_over_once(
    transactional_db: None, file_ticket: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(outbox, "_nudges", [])
    tickets = [file_ticket() for _ in range(40)]
    counts: Counter[int] = Counter()
    lock = threading.Lock()

    @outbox.subscriber("test_counter", Event.Kind.CREATED)
    def count(event: Event) -> None:
        with lock:
            counts[event.ticket_id] += 1

    EventDelivery.objects.bulk_create(
        EventDelivery(event=e, subscriber="test_counter")
        for e in Event.objects.filter(kind=Event.Kind.CREATED)
    )
    start = threading.Barrier(2)

    def dispatcher() -> None:
        try:
            start.wait()
            while outbox.dispatch_pending(limit=5):
                pass
        finally:
            connection.close()

    try:
        threads = [threading.Thread(target=dispatcher) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    finally:
        outbox.unsubscribe("test_counter")
    assert counts == {t.pk: 1 for t in tickets}
    mails = Counter(Mail.objects.values_list("ticket_id", flat=True))
    assert mails == {t.pk: 1 for t in tickets}
    assert _pending() == 0


def test_a_batch_s_mails_cost_the_statements_of_one(no_nudge: None, file_ticket: Any) -> None:
    from django.test.utils import CaptureQueriesContext

    def statements_to_deliver(tickets: int) -> int:
        for _ in range(tickets):
            file_ticket()
        with CaptureQueriesContext(connection) as captured:
            assert outbox.dispatch_pending() == tickets
        return len(captured)

    statements_to_deliver(1)  # the commune read once by this process
    # No query per mail for its requester, its démarche or who filed it; no savepoint each;
    # the batch's mails in one INSERT (``citizen_emails``), whatever their number.
    assert statements_to_deliver(6) == statements_to_deliver(2)
