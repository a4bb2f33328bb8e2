"""The floor's instrument writes what a creation writes, one at a time and in batches (ADR 0030)."""

import json

import pytest

from parvis.accounts.models import Requester
from parvis.bench import fixtures
from parvis.bench.floor import _Writer
from parvis.tickets.models import Event, EventDelivery, Ticket


def _body(email: str, subject: str) -> bytes:
    requester = {"name": "Léa Petit", "email": email, "phone": ""}
    return json.dumps({"requester": requester, "subject": subject, "description": "…"}).encode()


@pytest.mark.django_db
def test_a_creation_s_rows_alone_and_in_a_batch(catalog: None) -> None:
    writer = _Writer(fixtures.bench_agent_ensure("mot-de-passe-de-mesure"))

    writer.create_many([_body("lea@example.org", "Lampadaire éteint")])
    writer.create_many([_body("lea@example.org", f"Trou n° {n}") for n in range(3)])

    tickets = list(Ticket.objects.all())
    assert len(tickets) == 4
    assert Requester.objects.filter(email="lea@example.org").count() == 1  # found, not doubled
    assert tickets[-1].reference.startswith("20")  # a real number when alone
    assert Event.objects.filter(ticket__in=tickets).count() == 8  # created, routed each
    assert EventDelivery.objects.count() == 8
