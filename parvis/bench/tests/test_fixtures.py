"""The bench's seeded history is what the actions write: facts that render, nothing to deliver.

PostgreSQL only, as the bench (the rows are written with COPY).
"""

from collections import defaultdict

import pytest
from django.db import connection
from django.utils import timezone

from parvis.accounts.models import Requester
from parvis.bench import fixtures
from parvis.sla.actions import escalations_due
from parvis.sla.computation import deadline_compute
from parvis.sla.models import Escalation, TicketDeadline
from parvis.tickets import events
from parvis.tickets.models import Event, EventDelivery, Status, Ticket

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the bench seeds PostgreSQL with COPY"
)


@pytest.fixture
def seeded(catalog: None) -> None:
    fixtures.bench_agent_ensure("mot-de-passe-de-mesure")
    fixtures.seed(ticket_count=400, requester_count=150, rng_seed=1)


def test_every_seeded_event_renders_from_its_facts(seeded: None) -> None:
    history = list(Event.objects.select_related("actor"))
    assert {e.kind for e in history} >= {
        Event.Kind.CREATED,
        Event.Kind.ROUTED,
        Event.Kind.REQUESTER_CREATED,
        Event.Kind.ASSIGNED,
        Event.Kind.REPLY,
        Event.Kind.STATUS,
    }
    names = events.names_for(history, events.Audience.AGENT)
    for event in history:
        text = events.describe(event, events.Audience.AGENT, names)
        assert "inconnu" not in text, (event.kind, event.data, text)


def test_the_past_is_already_delivered(seeded: None) -> None:
    assert Event.objects.exists()
    assert not EventDelivery.objects.exists()


def test_tickets_keep_the_requester_as_given(seeded: None) -> None:
    for ticket in Ticket.objects.select_related("requester"):
        assert ticket.requester_name == ticket.requester.name
        assert ticket.requester_email == ticket.requester.email


def test_a_requester_is_created_by_their_first_ticket(seeded: None) -> None:
    created = defaultdict(list)
    for event in Event.objects.filter(kind=Event.Kind.REQUESTER_CREATED):
        created[event.data["requester_id"]].append(event.ticket_id)
    for requester in Requester.objects.filter(tickets__isnull=False).distinct():
        first = requester.tickets.order_by("created_at", "pk").first()
        assert first is not None
        assert created[requester.pk] == [first.pk]
        assert requester.created_at == first.created_at


def test_a_closed_ticket_keeps_the_moment_it_was_resolved(seeded: None) -> None:
    closed = Ticket.objects.filter(status=Status.CLOSED)
    assert closed.exists()
    for ticket in closed[:50]:
        resolved = ticket.events.get(kind=Event.Kind.STATUS, data__to=Status.RESOLVED)
        closing = ticket.events.get(kind=Event.Kind.STATUS, data__to=Status.CLOSED)
        assert ticket.resolved_at == resolved.created_at < closing.created_at
        assert closing.actor is not None and closing.actor.is_system


def test_every_ticket_has_its_deadlines_stored_as_the_subscriber_computes_them(
    seeded: None,
) -> None:
    # A production ticket page reads its stored row; without one it computes (2 queries).
    assert TicketDeadline.objects.count() == Ticket.objects.count()
    for ticket in Ticket.objects.select_related("deadline").order_by("?")[:40]:
        fresh = deadline_compute(ticket)
        assert (ticket.deadline.due_at, ticket.deadline.due_target) == (
            fresh.due_at,
            fresh.due_target,
        )


def test_the_escalations_of_the_past_are_already_sent(seeded: None) -> None:
    # Else the bench's first run sends them all, in the worker, while it measures.
    assert Escalation.objects.exists()
    assert escalations_due(timezone.now()) == []
    assert Event.objects.filter(kind=Event.Kind.DEADLINE_OVERDUE).count() == (
        Escalation.objects.filter(level=Escalation.Level.OVERDUE).count()
    )
