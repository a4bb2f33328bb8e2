"""Actions on a ticket: reply, note, status, assignment, transfer, priority, citizen messages."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from parvis.catalog.models import Service
from parvis.tickets.actions import (
    ticket_add_citizen_message,
    ticket_add_note,
    ticket_assign,
    ticket_change_status,
    ticket_reply,
    ticket_set_priority,
    ticket_transfer,
)
from parvis.tickets.events import Audience, is_visible
from parvis.tickets.models import Event, Message, Priority, Status, Ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def ticket(make_ticket):
    """A ticket, acknowledged: its acknowledgement is not among the mails the tests read."""
    ticket = make_ticket("nid-de-poule", subject="Trou devant l'école")
    mail.outbox.clear()
    return ticket


@pytest.fixture
def agent(make_agent):
    return make_agent("services-techniques", first_name="Paul", last_name="Durand")


def test_a_reply_is_public_emailed_and_moves_the_ticket_in_progress(
    ticket, agent, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        message = ticket_reply(ticket=ticket, actor=agent, body="Une équipe passe demain.")
    ticket.refresh_from_db()
    assert message.kind == Message.Kind.REPLY and message.is_public
    assert ticket.status == Status.IN_PROGRESS
    assert ticket.assignee == agent, "the first agent to answer takes the ticket"
    assert [m.subject for m in mailoutbox] == [
        f"[Ma commune] Réponse à votre demande {ticket.reference}"
    ]
    assert "Une équipe passe demain." in mailoutbox[0].body


def test_a_reply_can_wait_for_the_citizen(ticket, agent):
    ticket_reply(
        ticket=ticket, actor=agent, body="Pouvez-vous préciser le numéro ?", wait_for_citizen=True
    )
    ticket.refresh_from_db()
    assert ticket.status == Status.WAITING


def test_a_note_stays_internal_and_sends_nothing(
    ticket, agent, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        message = ticket_add_note(ticket=ticket, actor=agent, body="Voir avec la voirie.")
    assert not message.is_public
    assert not is_visible(ticket.events.get(kind=Event.Kind.NOTE), Audience.CITIZEN)
    assert mailoutbox == []


def test_a_citizen_message_on_a_waiting_ticket_brings_it_back_in_progress(ticket, agent):
    ticket_reply(ticket=ticket, actor=agent, body="Précisez ?", wait_for_citizen=True)
    ticket_add_citizen_message(ticket=ticket, body="C'est au numéro 12.")
    ticket.refresh_from_db()
    assert ticket.status == Status.IN_PROGRESS


def test_a_follow_up_is_counted_on_the_same_ticket(ticket):
    ticket_add_citizen_message(ticket=ticket, body="Des nouvelles ?", is_follow_up=True)
    ticket_add_citizen_message(ticket=ticket, body="Toujours rien…", is_follow_up=True)
    ticket.refresh_from_db()
    assert ticket.follow_up_count == 2
    assert Ticket.objects.count() == 1
    assert ticket.events.filter(kind=Event.Kind.FOLLOW_UP).count() == 2


def test_a_citizen_message_reopens_a_resolved_ticket(ticket, agent):
    ticket_change_status(ticket=ticket, actor=agent, status=Status.RESOLVED)
    ticket_add_citizen_message(ticket=ticket, body="Le trou est toujours là.")
    ticket.refresh_from_db()
    assert ticket.status == Status.IN_PROGRESS and ticket.resolved_at is None


def test_a_closed_ticket_takes_no_more_messages(ticket, agent):
    ticket_change_status(ticket=ticket, actor=agent, status=Status.CLOSED)
    with pytest.raises(ValidationError, match="clôturée"):
        ticket_add_citizen_message(ticket=ticket, body="Encore moi")


def test_resolving_tells_the_citizen(ticket, agent, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        ticket_change_status(ticket=ticket, actor=agent, status=Status.RESOLVED)
    ticket.refresh_from_db()
    assert ticket.resolved_at is not None
    assert "est résolue" in mailoutbox[0].subject
    event = ticket.events.get(kind=Event.Kind.STATUS)
    assert event.data == {"from": "new", "to": "resolved"}
    assert is_visible(event, Audience.CITIZEN)


def test_assigning_is_limited_to_members_of_the_service(ticket, agent, make_agent):
    outsider = make_agent("etat-civil")
    with pytest.raises(ValidationError, match="n'appartient pas"):
        ticket_assign(ticket=ticket, actor=agent, assignee=outsider)
    ticket_assign(ticket=ticket, actor=agent, assignee=agent)
    assert ticket.events.filter(kind=Event.Kind.ASSIGNED).count() == 1
    ticket_assign(ticket=ticket, actor=agent, assignee=None)
    ticket.refresh_from_db()
    assert ticket.assignee is None


def test_a_transfer_needs_a_reason_and_records_it(ticket, agent):
    police = Service.objects.get(slug="police-municipale")
    with pytest.raises(ValidationError, match="motif"):
        ticket_transfer(ticket=ticket, actor=agent, to_service=police, reason="  ")
    ticket_assign(ticket=ticket, actor=agent, assignee=agent)
    ticket_transfer(
        ticket=ticket, actor=agent, to_service=police, reason="Voiture ventouse, pas un trou"
    )
    ticket.refresh_from_db()
    assert ticket.service == police and ticket.assignee is None
    event = ticket.events.get(kind=Event.Kind.TRANSFERRED)
    assert event.data["reason"] == "Voiture ventouse, pas un trou"


def test_a_transfer_to_the_same_service_is_refused(ticket, agent):
    with pytest.raises(ValidationError):
        ticket_transfer(ticket=ticket, actor=agent, to_service=ticket.service, reason="x")


def test_priority_changes_are_recorded(ticket, agent):
    ticket_set_priority(ticket=ticket, actor=agent, priority=Priority.URGENT)
    ticket_set_priority(ticket=ticket, actor=agent, priority=Priority.URGENT)
    assert ticket.events.filter(kind=Event.Kind.PRIORITY).count() == 1
    ticket.refresh_from_db()
    assert ticket.priority == Priority.URGENT
