"""The citizen is told at each public step: moved to another service, waiting for them."""

from typing import Any

import pytest
from django.core import mail

from parvis.catalog.models import Service
from parvis.conftest import run_worker
from parvis.tickets.actions import ticket_change_status, ticket_reply, ticket_transfer
from parvis.tickets.models import Status, Ticket

pytestmark = pytest.mark.django_db


def test_a_transfer_tells_the_citizen_which_service_has_it_now_not_why(
    pothole: Ticket, agent: Any
) -> None:
    urbanism = Service.objects.get(slug="urbanisme")

    ticket_transfer(
        ticket=pothole, actor=agent, to_service=urbanism, reason="Pas chez nous, voir M. Dupont"
    )
    run_worker()

    (notice,) = mail.outbox
    assert notice.to == [pothole.requester_email]
    assert pothole.reference in notice.subject
    assert urbanism.name in notice.body
    assert "Dupont" not in notice.body  # the reason is the agents' own
    assert notice.extra_headers["Auto-Submitted"] == "auto-replied"


def test_waiting_for_the_citizen_is_mailed_when_no_reply_said_it(
    pothole: Ticket, agent: Any
) -> None:
    ticket_change_status(ticket=pothole, actor=agent, status=Status.WAITING)
    run_worker()

    (notice,) = mail.outbox
    assert "attend une information" in notice.subject


def test_a_reply_that_waits_for_the_citizen_sends_the_reply_only(
    pothole: Ticket, agent: Any
) -> None:
    ticket_reply(
        ticket=pothole, actor=agent, body="Envoyez-nous une photo du trou.", wait_for_citizen=True
    )
    run_worker()

    (reply,) = mail.outbox
    assert "photo du trou" in reply.body
