"""Events hold facts; the registry renders them, so that history follows today's names."""

import datetime
import json
from typing import Any

import pytest
from django.utils import timezone

from parvis.accounts.actions import requester_find_or_create
from parvis.accounts.selectors import system_actor
from parvis.bookings.actions import resource_load_defaults
from parvis.bookings.models import Resource
from parvis.catalog.models import Service
from parvis.notifications.actions import mails_withhold
from parvis.notifications.vocabulary import WithheldReason
from parvis.sla.actions import escalation_send
from parvis.sla.models import TicketDeadline
from parvis.tickets import actions
from parvis.tickets.events import KINDS, Audience, describe, kinds_for, names_for
from parvis.tickets.models import Event, Priority, Status, Ticket, TicketFollower

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(make_ticket: Any, make_agent: Any) -> tuple[Ticket, Any, Any]:
    """A ticket through every kind of event, with named agents and a transfer."""
    ticket = make_ticket("nid-de-poule", subject="Trou rue Hugo")
    agent = make_agent("services-techniques", "urbanisme", first_name="Victor", last_name="Roux")
    colleague = make_agent("services-techniques", first_name="Inès", last_name="Blanc")
    deadline = TicketDeadline.objects.get(ticket=ticket)  # its escalations, as the job sends
    for level, moment in (("warning", deadline.warn_at), ("overdue", deadline.due_at)):
        escalation_send(ticket_id=ticket.pk, level=level, now=moment, actor_id=system_actor().pk)
    actions.ticket_assign(ticket=ticket, actor=agent, assignee=colleague)
    actions.ticket_set_priority(ticket=ticket, actor=agent, priority=Priority.HIGH)
    actions.ticket_add_note(ticket=ticket, actor=agent, body="Voir avec l'équipe.")
    reply = actions.ticket_reply(ticket=ticket, actor=agent, body="Nous passons jeudi.")
    actions.ticket_record_letter(ticket=ticket, message=reply, actor=agent)
    actions.ticket_add_citizen_message(ticket=ticket, body="Merci.")
    actions.ticket_add_citizen_message(ticket=ticket, body="Alors ?", is_follow_up=True)
    actions.ticket_change_status(ticket=ticket, actor=agent, status=Status.RESOLVED)
    actions.ticket_transfer(
        ticket=ticket,
        actor=agent,
        to_service=Service.objects.get(slug="urbanisme"),
        reason="Relève de l'urbanisme",
    )
    actions.ticket_send_tracking_link(ticket=ticket)
    reply = ticket.events.get(kind=Event.Kind.REPLY)
    actions.ticket_resend_mail(ticket=ticket, actor=agent, event=reply)
    mails_withhold(
        withheld=[(ticket.events.get(kind=Event.Kind.TRACKING_LINK_SENT), "tracking_link")],
        reason=WithheldReason.HOURLY_CAP,
    )
    actions.ticket_record_bounce(ticket=ticket, inbound_id=1, status="5.1.1", permanent=True)
    actions.ticket_flag_same_matter(
        ticket=ticket, other_id=ticket.pk, other_reference="2026-00001", score=0.7, certain=True
    )
    _book(ticket, agent)
    actions.ticket_flag_nearby_report(
        ticket=ticket, other_id=ticket.pk, other_reference="2026-00001", distance_m=12.4
    )
    neighbour, _created = requester_find_or_create(name="Léa Petit", email="lea@example.fr")
    actions.ticket_follow(
        ticket=ticket, requester=neighbour, actor=None, reason=TicketFollower.Reason.NEARBY_REPORT
    )
    actions.ticket_merge(source=make_ticket("nid-de-poule"), target=ticket, actor=agent)
    actions.ticket_merge(source=ticket, target=make_ticket("nid-de-poule"), actor=agent)
    return ticket, agent, colleague


def _book(ticket: Ticket, agent: Any) -> None:
    """The booking events: one approved then refused, one asked for then cancelled."""
    from parvis.bookings import actions as bookings

    resource_load_defaults()
    room = Resource.objects.get(slug="salle-des-fetes")
    starts = timezone.now() + datetime.timedelta(days=30)
    slot = {"starts_at": starts, "ends_at": starts + datetime.timedelta(hours=3)}
    approved = bookings.booking_request(ticket=ticket, resource=room, actor=None, **slot)
    bookings.booking_approve(booking=approved, actor=agent)
    bookings.booking_refuse(booking=approved, actor=agent)
    cancelled = bookings.booking_request(ticket=ticket, resource=room, actor=None, **slot)
    bookings.booking_cancel(booking=cancelled, actor=None)


def _sentences(ticket: Ticket, audience: Audience) -> list[str]:
    events = list(ticket.events.select_related("actor").order_by("pk"))
    names = names_for(events, audience)
    return [describe(e, audience, names) for e in events if e.kind in kinds_for(audience)]


def test_every_event_kind_has_a_renderer() -> None:
    assert set(KINDS) == set(Event.Kind.values)


def test_stored_event_data_holds_no_display_text(history: tuple[Ticket, Any, Any]) -> None:
    ticket, _agent, _colleague = history
    stored = json.dumps([e.data for e in ticket.events.all()], ensure_ascii=False)
    for name in ("Services techniques", "Urbanisme", "Inès", "Blanc", "Victor", "Roux", "Nid"):
        assert name not in stored, f"{name!r} is display text stored in an event"
    # A workflow's step needs a démarche with a workflow: parvis/workflows/tests/test_engine.py
    # checks that its facts are codes.
    every_kind = set(Event.Kind.values) - {Event.Kind.WORKFLOW_STEP}
    assert set(ticket.events.values_list("kind", flat=True)) == every_kind


def test_a_renamed_service_and_agent_rewrite_the_whole_history(
    history: tuple[Ticket, Any, Any], django_capture_on_commit_callbacks: Any
) -> None:
    ticket, _agent, colleague = history
    with django_capture_on_commit_callbacks(execute=True):  # as committed: caches follow
        Service.objects.filter(slug="services-techniques").update(name="Voirie et réseaux")
        Service.objects.filter(slug="urbanisme").update(name="Droit des sols")
    colleague.first_name, colleague.last_name = "Inès", "Martin-Blanc"
    colleague.save()
    agent_text = " | ".join(_sentences(ticket, Audience.AGENT))
    assert "Orientée vers le service Voirie et réseaux" in agent_text
    assert "Transférée du service Voirie et réseaux au service Droit des sols" in agent_text
    assert "Attribuée à Inès Martin-Blanc" in agent_text
    assert "Services techniques" not in agent_text
    citizen_text = " | ".join(_sentences(ticket, Audience.CITIZEN))
    assert "Réponse du service Voirie et réseaux" in citizen_text
    assert "Demande transmise au service Droit des sols" in citizen_text


def test_citizens_see_neither_agents_nor_notes_nor_transfer_reasons(
    history: tuple[Ticket, Any, Any],
) -> None:
    ticket, _agent, _colleague = history
    text = " | ".join(_sentences(ticket, Audience.CITIZEN))
    for hidden in ("Inès", "Victor", "Note interne", "Relève de l'urbanisme", "Priorité"):
        assert hidden not in text
    assert text.startswith("Demande reçue")


def test_a_routing_reason_is_a_code_with_its_facts(make_ticket: Any) -> None:
    ticket = make_ticket(subject="Un nid de poule énorme", description="Rue Hugo.")
    routed = ticket.events.get(kind=Event.Kind.ROUTED)
    assert routed.data["reason"] == "keyword" and routed.data["keyword"]
    assert routed.data["service_id"] == ticket.service_id
    names = names_for([routed], Audience.AGENT)
    assert "mot-clé « " in describe(routed, Audience.AGENT, names)
