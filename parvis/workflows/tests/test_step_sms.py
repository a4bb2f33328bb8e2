"""A citizen who chose SMS is told of each public step of a workflow by one short text."""

from dataclasses import replace
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from parvis.catalog.models import RequestType
from parvis.conftest import _valid_values, run_worker
from parvis.core.actions import commune_update
from parvis.intake.pipeline import intake_submit
from parvis.notifications.models import Template, TextMessage
from parvis.notifications.sms import GSM_ALPHABET, MemoryBackend
from parvis.notifications.sms_sending import sms_send_pending
from parvis.tickets.models import Channel, EventDelivery, NotifyBy, Ticket
from parvis.tickets.structures import IncomingRequest, RequesterData
from parvis.workflows import subscribers
from parvis.workflows.actions import workflow_advance, workflow_save_version
from parvis.workflows.models import WorkflowTransition
from parvis.workflows.selectors import latest_version, ticket_step, version_spec

pytestmark = pytest.mark.django_db

PHONE = "06 12 34 56 78"
TWO_SEGMENTS = 2 * 153  # concatenated, a segment keeps 153 GSM characters of its 160


@pytest.fixture(autouse=True)
def _sms(settings: Any) -> None:
    settings.PARVIS_SMS_BACKEND = "parvis.notifications.sms.MemoryBackend"
    MemoryBackend.outbox.clear()


def _booking(make_ticket: Any, notify_by: str = NotifyBy.SMS) -> Ticket:
    ticket: Ticket = make_ticket(
        "reservation-salle",
        requester=RequesterData("Camille Martin", "camille@example.fr", PHONE),
        notify_by=notify_by,
    )
    mail.outbox.clear()
    return ticket


def _advance(ticket: Ticket, code: str, actor: Any, **values: object) -> None:
    step = ticket_step(ticket)
    assert step is not None
    transition = WorkflowTransition.objects.get(version=step.version, code=code)
    workflow_advance(ticket=ticket, transition=transition, actor=actor, values=values)


def _step_texts(ticket: Ticket) -> list[str]:
    run_worker()
    sms_send_pending()
    return list(
        TextMessage.objects.filter(ticket=ticket, template=Template.WORKFLOW_STEP)
        .order_by("pk")
        .values_list("body", flat=True)
    )


def _sms_deliveries(ticket: Ticket) -> int:
    return EventDelivery.objects.filter(
        event__ticket=ticket, subscriber="workflow_citizen_sms"
    ).count()


def test_each_public_step_of_a_booking_is_one_text_with_its_public_label(
    workflows: None, make_ticket: Any, make_member: Any
) -> None:
    ticket = _booking(make_ticket)
    agent = make_member("vie-associative", "agent")
    _advance(ticket, "take", agent)
    _advance(ticket, "to_approval", agent, check_note="Salle libre, note interne")
    _advance(ticket, "approve", make_member("vie-associative", "elected"))

    prefix = f"Ma commune : votre demande {ticket.reference} en est à l'étape : "
    assert _step_texts(ticket) == [
        prefix + "En cours de vérification par le service.",
        prefix + "En attente de validation par l'élu.",
        prefix + "Réservation confirmée.",
    ]
    assert all(set(text) <= GSM_ALPHABET and len(text) <= 160 for text in _step_texts(ticket))
    # Sent once each, to the number given; the acknowledgement went by SMS as well.
    sent = [text for to, text in MemoryBackend.outbox if "étape" in text]
    assert len(sent) == 3 and {to for to, _text in MemoryBackend.outbox} == {PHONE}
    # Nor a mail for the steps, nor a second "resolved" text for the confirmation.
    assert not mail.outbox
    assert TextMessage.objects.filter(ticket=ticket).count() == 4
    # A step the citizen sees is one delivery; the ticket's start is none.
    assert _sms_deliveries(ticket) == 3


def test_a_hidden_step_tells_nothing_and_costs_no_delivery(
    workflows: None, make_ticket: Any, make_member: Any
) -> None:
    request_type = RequestType.objects.get(slug="reservation-salle")
    spec = version_spec(latest_version(request_type.pk))
    statuses = tuple(
        replace(s, public_label="") if s.code == "service_check" else s for s in spec.statuses
    )
    # Telling the citizen of a step they do not see is refused when the version is saved…
    with pytest.raises(ValidationError, match="l'usager ne voit pas l'étape"):
        workflow_save_version(
            request_type=request_type, spec=replace(spec, statuses=statuses), actor=None
        )
    # …so a hidden step is one whose transitions tell nothing: no text, no mail, no delivery.
    silent = tuple(
        replace(t, actions=()) if t.target == "service_check" else t for t in spec.transitions
    )
    workflow_save_version(
        request_type=request_type,
        spec=replace(spec, statuses=statuses, transitions=silent),
        actor=None,
    )
    ticket = _booking(make_ticket)
    agent = make_member("vie-associative", "agent")

    _advance(ticket, "take", agent)
    assert _step_texts(ticket) == [] and _sms_deliveries(ticket) == 0
    assert not EventDelivery.objects.filter(
        event__ticket=ticket, subscriber="workflow_citizen_mail"
    ).exists()
    _advance(ticket, "to_approval", agent)
    (text,) = _step_texts(ticket)
    assert text.endswith("en est à l'étape : En attente de validation par l'élu.")


def test_a_document_asked_is_a_text_and_a_step_that_tells_nothing_is_none(
    workflows: None, make_ticket: Any, make_member: Any
) -> None:
    ticket: Ticket = make_ticket(
        "declaration-prealable",
        requester=RequesterData("Camille Martin", "", PHONE),
        notify_by=NotifyBy.SMS,
    )
    agent = make_member(ticket.service.slug, "agent")
    _advance(ticket, "check", agent)
    _advance(ticket, "ask_documents", agent, documents="Le plan de masse")
    _advance(ticket, "documents_received", agent)  # no action: the citizen is not told

    assert [text.rpartition(" : ")[2] for text in _step_texts(ticket)] == [
        "Vérification du dossier.",
        "Pièces manquantes.",
    ]
    assert "plan de masse" not in " ".join(text for _to, text in MemoryBackend.outbox)


def test_a_citizen_who_chose_nothing_or_email_gets_no_step_text(
    workflows: None, make_ticket: Any, make_member: Any
) -> None:
    agent = make_member("vie-associative", "agent")
    nothing = _booking(make_ticket, NotifyBy.NONE)
    by_mail = _booking(make_ticket, NotifyBy.EMAIL)
    for ticket in (nothing, by_mail):
        _advance(ticket, "take", agent)

    assert _step_texts(nothing) == [] and _step_texts(by_mail) == []
    assert _sms_deliveries(nothing) == 0 and _sms_deliveries(by_mail) == 0
    assert not MemoryBackend.outbox
    # Email is told as before, and only its chooser.
    (notice,) = mail.outbox
    assert notice.to == [by_mail.requester_email]
    assert "En cours de vérification par le service" in notice.subject


def test_without_a_provider_no_step_text_is_written(
    workflows: None, make_ticket: Any, make_member: Any, settings: Any
) -> None:
    ticket = _booking(make_ticket)
    settings.PARVIS_SMS_BACKEND = ""
    _advance(ticket, "take", make_member("vie-associative", "agent"))

    assert _step_texts(ticket) == [] and _sms_deliveries(ticket) == 0


def test_a_step_delivered_again_after_a_failure_is_texted_once(
    workflows: None, make_ticket: Any, make_member: Any, monkeypatch: Any
) -> None:
    ticket = _booking(make_ticket)
    write = subscribers.sms_write
    failing = [True]

    def write_then_fail(**kwargs: Any) -> Any:
        message = write(**kwargs)
        if failing[0]:
            raise OSError("worker killed after writing the text")
        return message

    monkeypatch.setattr(subscribers, "sms_write", write_then_fail)
    _advance(ticket, "take", make_member("vie-associative", "agent"))
    assert _step_texts(ticket) == []  # the failure took its text with it
    delivery = EventDelivery.objects.get(event__ticket=ticket, subscriber="workflow_citizen_sms")
    assert delivery.delivered_at is None and "worker killed" in delivery.last_error

    failing[0] = False
    EventDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    assert len(_step_texts(ticket)) == 1  # handed over again: written this time
    assert len(_step_texts(ticket)) == 1  # and not a second time by a later run
    assert len([text for _to, text in MemoryBackend.outbox if "étape" in text]) == 1


def test_a_step_typed_in_by_an_agent_carries_the_link_in_two_gsm_segments(
    workflows: None, make_member: Any
) -> None:
    agent = make_member("vie-associative", "agent")
    booking = RequestType.objects.get(slug="reservation-salle")
    submitted = intake_submit(
        incoming=IncomingRequest(
            channel=Channel.PHONE,
            requester=RequesterData("Camille Martin", "", PHONE),
            subject="Salle des fêtes le 14",
            request_type=booking,
            field_values=_valid_values(booking),
            notify_by=NotifyBy.SMS,
        ),
        actor=agent,
        append_repeats=False,
    )
    ticket = submitted.ticket
    run_worker()
    _advance(ticket, "take", agent)

    (text,) = _step_texts(ticket)
    assert text.endswith(f"Suivi : http://127.0.0.1:8000/suivi/{ticket.tracking_token}/")
    assert set(text) <= GSM_ALPHABET and len(text) <= TWO_SEGMENTS


def test_without_the_link_a_step_text_gives_the_commune_s_phone(
    workflows: None, make_ticket: Any, make_member: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # the commune's copy follows
        commune_update(name="Mairie de Saint-Hilaire-lès-Cambrai", phone="03 27 00 00 00")
    ticket = _booking(make_ticket)
    _advance(ticket, "take", make_member("vie-associative", "agent"))

    (text,) = _step_texts(ticket)
    assert text == (
        f"Mairie de Saint-Hilaire-lès-Cambrai : votre demande {ticket.reference} en est à "
        "l'étape : En cours de vérification par le service. "
        "Renseignements : 03 27 00 00 00, en rappelant ce numéro."
    )
    assert set(text) <= GSM_ALPHABET and len(text) <= TWO_SEGMENTS
