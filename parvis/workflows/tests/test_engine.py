"""The engine: a ticket starts at its workflow's first status and moves only as it allows."""

from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from parvis.catalog.models import RequestType
from parvis.conftest import run_worker
from parvis.tickets.events import Audience, describe, is_visible, names_for
from parvis.tickets.models import Event, NotifyBy, Status, Ticket
from parvis.workflows.actions import workflow_advance, workflow_save_version
from parvis.workflows.models import TicketWorkflow, WorkflowTransition
from parvis.workflows.selectors import latest_version, ticket_step, version_spec

pytestmark = pytest.mark.django_db


def _transition(ticket: Any, code: str) -> WorkflowTransition:
    step = ticket_step(ticket)
    assert step is not None
    return WorkflowTransition.objects.get(version=step.version, code=code)


def _advance(ticket: Any, code: str, actor: Any, **values: object) -> TicketWorkflow:
    return workflow_advance(
        ticket=ticket, transition=_transition(ticket, code), actor=actor, values=values
    )


def test_a_ticket_of_a_demarche_with_a_workflow_starts_at_its_first_status(
    workflows: None, make_ticket: Any
) -> None:
    ticket = make_ticket("reservation-salle")
    step = ticket_step(ticket)
    assert step is not None
    assert step.status.code == "requested"
    assert step.version == latest_version(ticket.request_type_id)
    start = ticket.events.get(kind=Event.Kind.WORKFLOW_STEP)
    assert start.data["from"] is None and start.data["to"] == "requested"
    assert not is_visible(start, Audience.CITIZEN)


def test_starting_costs_two_statements_and_records_no_delivery(
    workflows: None, make_ticket: Any, django_assert_num_queries: Any
) -> None:
    from parvis.workflows.actions import ticket_workflow_start

    make_ticket("reservation-salle")  # the process keeps the version's first status
    ticket = make_ticket("reservation-salle")
    TicketWorkflow.objects.filter(ticket=ticket).delete()
    # The ticket's step and its event: the start is no transition, so none of the workflow's
    # subscribers has anything to do with it (no delivery row, nothing for the worker).
    with django_assert_num_queries(2):
        state = ticket_workflow_start(ticket=ticket, actor=None)
    assert state is not None and state.status.code == "requested"
    start = ticket.events.filter(kind=Event.Kind.WORKFLOW_STEP).latest("pk")
    assert not start.deliveries.exists()


def test_a_ticket_without_a_workflow_has_no_step(workflows: None, make_ticket: Any) -> None:
    assert ticket_step(make_ticket("nid-de-poule")) is None


def test_a_step_that_changes_state_moves_the_lifecycle_and_one_that_does_not_leaves_it(
    workflows: None, make_ticket: Any, make_member: Any
) -> None:
    ticket = make_ticket("reservation-salle")
    agent = make_member("vie-associative", "agent")
    _advance(ticket, "take", agent)
    ticket.refresh_from_db()
    assert ticket.status == Status.IN_PROGRESS
    _advance(ticket, "to_approval", agent)
    ticket.refresh_from_db()
    assert ticket.status == Status.IN_PROGRESS
    kinds = list(ticket.events.values_list("kind", flat=True))
    assert kinds.count(Event.Kind.STATUS) == 1
    assert kinds.count(Event.Kind.WORKFLOW_STEP) == 3
    step = ticket.events.filter(kind=Event.Kind.WORKFLOW_STEP).last()
    assert step.data == {
        "version_id": ticket_step(ticket).version_id,
        "from": "service_check",
        "to": "approval",
        "transition": "to_approval",
        "values": {},
        "public": True,
    }


def test_only_the_elected_official_may_approve_a_booking(
    workflows: None, make_ticket: Any, make_member: Any
) -> None:
    ticket = make_ticket("reservation-salle")
    agent = make_member("vie-associative", "agent")
    manager = make_member("vie-associative", "manager")
    _advance(ticket, "take", agent)
    _advance(ticket, "to_approval", agent)
    for refused in (agent, manager):
        with pytest.raises(ValidationError, match="réservé à élu délégué"):
            _advance(ticket, "approve", refused)
    assert ticket_step(ticket).status.code == "approval"
    deputy = make_member("vie-associative", "elected")
    _advance(ticket, "approve", deputy)
    ticket.refresh_from_db()
    assert ticket_step(ticket).status.code == "confirmed"
    assert ticket.status == Status.RESOLVED


def test_an_agent_of_another_service_may_not_move_the_ticket(
    workflows: None, make_ticket: Any, make_member: Any
) -> None:
    ticket = make_ticket("reservation-salle")
    outsider = make_member("urbanisme", "manager")
    with pytest.raises(ValidationError, match="Vie associative"):
        _advance(ticket, "take", outsider)


def test_a_required_field_missing_or_a_bad_date_is_refused_by_field_in_french(
    workflows: None, make_ticket: Any, make_member: Any
) -> None:
    ticket = make_ticket("pret-de-materiel")
    manager = make_member(ticket.service.slug, "manager")
    with pytest.raises(ValidationError) as missing:
        _advance(ticket, "approve", manager)
    assert missing.value.message_dict == {
        "pickup_date": ["« Date de retrait » est obligatoire pour cette étape."]
    }
    with pytest.raises(ValidationError) as malformed:
        _advance(ticket, "approve", manager, pickup_date="31/02/2026")
    assert "date valide" in malformed.value.message_dict["pickup_date"][0]
    assert ticket_step(ticket).status.code == "requested"
    _advance(ticket, "approve", manager, pickup_date="2026-03-14")
    step = ticket.events.filter(kind=Event.Kind.WORKFLOW_STEP).last()
    assert step.data["values"] == {"pickup_date": "2026-03-14"}


def test_a_transition_from_another_status_is_refused(
    workflows: None, make_ticket: Any, make_member: Any
) -> None:
    ticket = make_ticket("reservation-salle")
    deputy = make_member("vie-associative", "elected")
    with pytest.raises(ValidationError, match="rechargez la page"):
        _advance(ticket, "approve", deputy)


def test_a_ticket_filed_under_v1_keeps_v1_after_the_workflow_is_edited(
    workflows: None, make_ticket: Any, make_member: Any
) -> None:
    old = make_ticket("pret-de-materiel")
    v1 = ticket_step(old).version
    request_type = RequestType.objects.get(slug="pret-de-materiel")
    spec = version_spec(v1)
    # The edit: approving no longer asks for a date, and the status is renamed.
    edited = type(spec)(
        statuses=tuple(
            type(s)(s.code, "Accordé (v2)", s.lifecycle_state, s.public_label)
            if s.code == "approved"
            else s
            for s in spec.statuses
        ),
        transitions=tuple(
            type(t)(t.code, t.source, t.target, t.label, t.roles, t.service, (), t.actions)
            if t.code == "approve"
            else t
            for t in spec.transitions
        ),
    )
    v2 = workflow_save_version(request_type=request_type, spec=edited, actor=None)
    assert v2.number == v1.number + 1
    new = make_ticket("pret-de-materiel")
    assert ticket_step(new).version == v2
    manager = make_member(old.service.slug, "manager")
    with pytest.raises(ValidationError):  # v1 still asks for the date
        _advance(old, "approve", manager)
    _advance(old, "approve", manager, pickup_date="2026-03-14")
    _advance(new, "approve", manager)
    assert ticket_step(old).version == v1
    assert ticket_step(old).status.label == "Prêt accordé"
    assert ticket_step(new).status.label == "Accordé (v2)"
    events = list(old.events.all())
    names = names_for(events, Audience.AGENT)
    assert "Prêt accordé" in describe(events[-1], Audience.AGENT, names)


def test_an_invalid_workflow_is_refused_with_french_errors(workflows: None) -> None:
    request_type = RequestType.objects.get(slug="question-generale")
    spec = version_spec(latest_version(RequestType.objects.get(slug="pret-de-materiel").pk))
    broken = type(spec)(statuses=spec.statuses[1:], transitions=spec.transitions)
    with pytest.raises(ValidationError) as error:
        workflow_save_version(request_type=request_type, spec=broken, actor=None)
    assert any("première étape" in message for message in error.value.messages)


def test_the_citizen_is_mailed_at_each_public_step_with_the_public_values_only(
    workflows: None, make_ticket: Any, make_member: Any
) -> None:
    ticket = make_ticket("reservation-salle")
    agent = make_member("vie-associative", "agent")
    deputy = make_member("vie-associative", "elected")
    mail.outbox.clear()
    _advance(ticket, "take", agent)
    _advance(ticket, "to_approval", agent, check_note="Salle libre, note interne")
    run_worker()
    assert [m.subject.split(" : ", 1)[1] for m in mail.outbox] == [
        "En cours de vérification par le service",
        "En attente de validation par l'élu",
    ]
    assert all(ticket.reference in m.subject for m in mail.outbox)
    assert "note interne" not in mail.outbox[1].body
    mail.outbox.clear()
    _advance(ticket, "reject", deputy, reason="La salle est réservée au conseil ce jour-là.")
    run_worker()
    # One mail for the refusal, not a second "resolved" notice as well.
    assert len(mail.outbox) == 1
    assert "Réservation refusée" in mail.outbox[0].subject
    assert "La salle est réservée au conseil ce jour-là." in mail.outbox[0].body
    # The ticket went to the deputy mayor when it reached the approval step.
    ticket.refresh_from_db()
    assert ticket.assignee == deputy


def test_the_citizen_reads_public_steps_only_and_agents_read_them_all(
    workflows: None, make_ticket: Any, make_member: Any
) -> None:
    ticket = make_ticket("reservation-salle")
    agent = make_member("vie-associative", "agent")
    _advance(ticket, "take", agent)
    _advance(ticket, "to_approval", agent, check_note="RAS")
    status = ticket.events.get(kind=Event.Kind.STATUS)
    assert not is_visible(status, Audience.CITIZEN)  # the step says it, by its public label
    assert is_visible(status, Audience.AGENT)
    events = list(ticket.events.filter(kind=Event.Kind.WORKFLOW_STEP))
    citizen = names_for(events, Audience.CITIZEN)
    agents = names_for(events, Audience.AGENT)
    shown = [
        describe(e, Audience.CITIZEN, citizen) for e in events if is_visible(e, Audience.CITIZEN)
    ]
    assert shown == [
        "Étape : En cours de vérification par le service",
        "Étape : En attente de validation par l'élu",
    ]
    assert describe(events[-1], Audience.AGENT, agents) == (
        "Étape : Vérification par le service → Validation par l'adjoint au maire "
        "(« Transmettre à l'adjoint au maire ») — Avis du service : RAS"
    )


def test_a_citizen_who_chose_no_messages_gets_no_step_mail(
    workflows: None, make_ticket: Any, make_member: Any
) -> None:
    ticket = make_ticket("reservation-salle")
    Ticket.objects.filter(pk=ticket.pk).update(notify_by=NotifyBy.NONE)
    mail.outbox.clear()
    _advance(ticket, "take", make_member("vie-associative", "agent"))
    run_worker()
    assert mail.outbox == []
