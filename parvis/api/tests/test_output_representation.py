"""The ticket summaries are written out by hand for speed: they must equal DRF's generic output."""

from collections.abc import Callable
from typing import Any

import pytest
from rest_framework import serializers
from rest_framework.test import APIRequestFactory

from parvis.api.serializers.outputs import TicketCreatedSerializer, TicketSummarySerializer
from parvis.tickets.actions import ticket_assign, ticket_set_priority
from parvis.tickets.models import Priority, Ticket

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("serializer_class", [TicketSummarySerializer, TicketCreatedSerializer])
def test_the_written_out_representation_equals_the_declared_fields(
    serializer_class: type[serializers.Serializer[Any]],
    make_ticket: Callable[..., Any],
    make_agent: Callable[..., Any],
) -> None:
    agent = make_agent("etat-civil", first_name="Jeanne", last_name="Roux")
    assigned = make_ticket("acte-de-naissance")
    ticket_assign(ticket=assigned, assignee=agent, actor=agent)
    ticket_set_priority(ticket=assigned, priority=Priority.URGENT, actor=agent)
    free_text = make_ticket(None, subject="Question sur la cantine")
    request = APIRequestFactory().get("/api/v1/tickets/")

    for ticket in Ticket.objects.filter(pk__in=[assigned.pk, free_text.pk]).select_related(
        "service", "requester", "assignee", "request_type"
    ):
        serializer = serializer_class(ticket, context={"request": request})
        generic = serializers.Serializer.to_representation(serializer, ticket)
        assert serializer.data == generic
        assert set(generic) == set(serializer.fields)
