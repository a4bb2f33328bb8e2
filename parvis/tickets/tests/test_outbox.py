"""The transactional outbox: each event reaches each of its subscribers once, failures retry."""

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone

from parvis.catalog.models import Service
from parvis.tickets import actions, outbox
from parvis.tickets.models import Event, EventDelivery, Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def received() -> Iterator[list[tuple[int, str]]]:
    """A subscriber added by a test, to every kind, without touching any action."""
    seen: list[tuple[int, str]] = []

    @outbox.subscriber("test_recorder", *Event.Kind.values)
    def record(event: Event) -> None:
        seen.append((event.pk, event.kind))

    yield seen
    outbox.unsubscribe("test_recorder")


@pytest.fixture
def failing() -> Iterator[list[int]]:
    """A subscriber of new tickets that fails until told otherwise."""
    calls: list[int] = []
    state = {"fail": True}

    @outbox.subscriber("test_failing", Event.Kind.CREATED)
    def fail(event: Event) -> None:
        calls.append(event.pk)
        Event.objects.filter(pk=event.pk).update(data={"touched": True})  # rolled back
        if state["fail"]:
            raise ConnectionError("webhook receiver down")

    yield calls
    outbox.unsubscribe("test_failing")


def _history(make_ticket: Any, make_agent: Any) -> None:
    ticket = make_ticket("nid-de-poule")
    agent = make_agent("services-techniques")
    actions.ticket_reply(ticket=ticket, actor=agent, body="Vu.")
    actions.ticket_add_note(ticket=ticket, actor=agent, body="Interne.")
    actions.ticket_add_citizen_message(ticket=ticket, body="Merci", is_follow_up=True)
    actions.ticket_transfer(
        ticket=ticket, actor=agent, to_service=Service.objects.get(slug="urbanisme"), reason="x"
    )
    actions.ticket_change_status(ticket=ticket, actor=agent, status=Status.RESOLVED)


def test_a_subscriber_added_in_a_test_receives_every_event_once(
    received: list[tuple[int, str]], make_ticket: Any, make_agent: Any
) -> None:
    _history(make_ticket, make_agent)
    outbox.dispatch_pending()
    outbox.dispatch_pending()  # a second worker run finds nothing left
    events = list(Event.objects.order_by("pk").values_list("pk", "kind"))
    assert sorted(received) == events
    assert len(received) == len(set(received))
    assert not EventDelivery.objects.filter(delivered_at__isnull=True).exists()


def test_nothing_is_delivered_for_a_rolled_back_action(
    received: list[tuple[int, str]], make_ticket: Any, make_agent: Any
) -> None:
    ticket = make_ticket("nid-de-poule")
    agent = make_agent("services-techniques")
    received.clear()
    with pytest.raises(RuntimeError), transaction.atomic():
        actions.ticket_reply(ticket=ticket, actor=agent, body="Jamais envoyée.")
        raise RuntimeError("the request failed after the action")
    outbox.dispatch_pending()
    assert received == []


def test_a_failing_subscriber_is_retried_with_back_off_then_marked_failed(
    failing: list[int], make_ticket: Any
) -> None:
    ticket = make_ticket("nid-de-poule")
    delivery = EventDelivery.objects.get(subscriber="test_failing")
    assert delivery.attempts == 1 and delivery.delivered_at is None
    assert "webhook receiver down" in delivery.last_error
    assert delivery.next_attempt_at > timezone.now() + datetime.timedelta(seconds=20)
    created = ticket.events.get(kind=Event.Kind.CREATED)
    assert created.data == {"channel": "web"}, "the failed subscriber's writes are rolled back"
    outbox.dispatch_pending()
    assert EventDelivery.objects.get(pk=delivery.pk).attempts == 1, "not due yet"
    now = timezone.now()
    for hour in range(1, outbox.MAX_ATTEMPTS + 2):
        with time_machine.travel(now + datetime.timedelta(hours=hour)):
            outbox.dispatch_pending()
    delivery.refresh_from_db()
    assert delivery.attempts == outbox.MAX_ATTEMPTS
    assert delivery.failed_at is not None and delivery.delivered_at is None
    # Other subscribers of the same event were not held up.
    assert EventDelivery.objects.get(event=created, subscriber="citizen_email").delivered_at


def test_an_administrator_retries_a_failed_delivery(failing: list[int], make_ticket: Any) -> None:
    make_ticket("nid-de-poule")
    delivery = EventDelivery.objects.get(subscriber="test_failing")
    EventDelivery.objects.filter(pk=delivery.pk).update(failed_at=timezone.now(), attempts=8)
    outbox.unsubscribe("test_failing")

    @outbox.subscriber("test_failing", Event.Kind.CREATED)
    def now_works(event: Event) -> None:
        pass

    assert outbox.deliveries_retry(delivery_ids=[delivery.pk]) == 1
    outbox.dispatch_pending()
    delivery.refresh_from_db()
    assert delivery.delivered_at is not None and delivery.failed_at is None


def test_the_admin_lists_failed_deliveries(
    admin_client: Any, failing: list[int], make_ticket: Any
) -> None:
    make_ticket("nid-de-poule")
    EventDelivery.objects.filter(subscriber="test_failing").update(failed_at=timezone.now())
    response = admin_client.get("/admin/tickets/eventdelivery/?state=failed")
    assert response.status_code == 200
    shown = [d.subscriber for d in response.context["cl"].result_list]
    assert shown == ["test_failing"]
