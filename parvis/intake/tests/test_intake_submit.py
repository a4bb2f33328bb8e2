"""intake_submit: every channel's way in."""

import re

import pytest
from django.core.exceptions import ValidationError

from parvis.accounts.models import Requester
from parvis.catalog.models import RequestType
from parvis.intake.pipeline import intake_submit
from parvis.tickets.models import Channel, Event, Status, Ticket
from parvis.tickets.structures import IncomingRequest, Location, RequesterData

pytestmark = pytest.mark.django_db


def test_it_gives_a_reference_that_reads_on_the_phone(make_ticket):
    ticket = make_ticket("nid-de-poule")
    assert re.fullmatch(r"20\d\d-\d{5}", ticket.reference)


def test_references_follow_each_other_and_are_never_reused(make_ticket):
    first = make_ticket("nid-de-poule")
    second = make_ticket("nid-de-poule")
    Ticket.objects.filter(pk=second.pk).delete()
    third = make_ticket("nid-de-poule")
    numbers = [int(t.reference.split("-")[1]) for t in (first, second, third)]
    assert numbers == [numbers[0], numbers[0] + 1, numbers[0] + 2]


def test_a_demarche_routes_to_its_service(make_ticket):
    ticket = make_ticket("acte-de-naissance")
    assert ticket.service.slug == "etat-civil"
    routed = ticket.events.get(kind=Event.Kind.ROUTED)
    assert routed.data == {
        "service_id": ticket.service_id,
        "reason": "request_type",
        "request_type_id": ticket.request_type_id,
    }


def test_free_text_is_routed_by_keyword_rules(make_ticket):
    ticket = make_ticket(
        subject="Énorme NID DE POULE rue Victor Hugo", description="Dangereux pour les vélos."
    )
    assert ticket.service.slug == "services-techniques"


def test_free_text_without_a_matching_rule_lands_in_triage(make_ticket):
    ticket = make_ticket(subject="Bonjour", description="Je voudrais savoir quelque chose.")
    assert ticket.service.slug == "accueil"


def test_a_confidential_demarche_makes_a_confidential_ticket(make_ticket):
    assert make_ticket("demande-aide-sociale").is_confidential
    assert not make_ticket("nid-de-poule").is_confidential


def test_it_records_the_creation_in_the_public_timeline(make_ticket):
    ticket = make_ticket("nid-de-poule", channel=Channel.PHONE)
    created = ticket.events.get(kind=Event.Kind.CREATED)
    assert created.data == {"channel": "phone"}
    assert ticket.status == Status.NEW


def test_structured_values_are_validated_against_the_demarche(catalog):
    incoming = IncomingRequest(
        channel=Channel.API,
        requester=RequesterData("Léa", "lea@example.fr"),
        subject="Acte",
        request_type=RequestType.objects.get(slug="acte-de-naissance"),
        field_values={"birth_date": "32/13/2020", "copies": "beaucoup", "unknown": "x"},
    )
    with pytest.raises(ValidationError) as error:
        intake_submit(incoming=incoming, actor=None)
    errors = error.value.message_dict
    assert "birth_date" in errors and "copies" in errors and "unknown" in errors
    assert "Ce champ est obligatoire." in errors["birth_last_name"]
    assert not Ticket.objects.exists()


def test_valid_values_are_stored_json_ready(make_ticket):
    request_type = RequestType.objects.get(slug="acte-de-naissance")
    choices = {
        f.key: f.choice_pairs()[0][0] for f in request_type.fields.all() if f.kind == "choice"
    }
    request_type = RequestType.objects.get(slug="acte-de-naissance")
    choices = {
        f.key: f.choice_pairs()[0][0] for f in request_type.fields.all() if f.kind == "choice"
    }
    ticket = make_ticket(
        "acte-de-naissance",
        field_values={
            "birth_last_name": "Dupont",
            "first_names": "Jean Paul",
            "birth_date": "1990-05-17",
            "birth_place": "Tours",
            "copies": "2",
            **choices,
        },
    )
    ticket.refresh_from_db()
    assert ticket.field_values["birth_date"] == "1990-05-17"
    assert ticket.field_values["copies"] == 2


def test_a_location_field_becomes_the_ticket_address(make_ticket):
    ticket = make_ticket("nid-de-poule")
    assert ticket.location_address == "12 rue Victor Hugo"


def test_an_explicit_location_keeps_its_coordinates(make_ticket):
    ticket = make_ticket("nid-de-poule", location=Location("Place de la Mairie", 47.39, 0.68))
    assert (ticket.location_address, ticket.location_lat, ticket.location_lon) == (
        "Place de la Mairie",
        47.39,
        0.68,
    )


def test_the_same_email_finds_the_same_requester(make_ticket):
    make_ticket("nid-de-poule", requester=RequesterData("Camille Martin", "Camille@Example.fr"))
    make_ticket(
        "graffiti", requester=RequesterData("C. Martin", "camille@example.fr", "06 11 22 33 44")
    )
    requester = Requester.objects.get()
    assert requester.tickets.count() == 2
    assert requester.phone_normalized == "0611223344"


def test_a_phone_only_requester_is_found_again_by_phone(make_ticket):
    make_ticket("nid-de-poule", requester=RequesterData("M. Leroy", phone="+33 6 11 22 33 44"))
    make_ticket("graffiti", requester=RequesterData("Marcel Leroy", phone="06.11.22.33.44"))
    assert Requester.objects.count() == 1


def test_the_acknowledgement_is_emailed_after_commit(
    make_ticket, mailoutbox, django_capture_on_commit_callbacks, confirmed_address
):
    confirmed_address("lea@example.fr")
    with django_capture_on_commit_callbacks(execute=True):
        ticket = make_ticket("nid-de-poule", requester=RequesterData("Léa Petit", "lea@example.fr"))
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["lea@example.fr"]
    assert ticket.reference in mail.subject
    assert f"/suivi/{ticket.tracking_token}/" in mail.body
    assert "Bonjour Léa Petit" in mail.body


def test_no_email_is_sent_to_a_requester_without_address(
    make_ticket, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        make_ticket("nid-de-poule", requester=RequesterData("M. Leroy", phone="0611223344"))
    assert mailoutbox == []


def test_a_failed_creation_leaves_no_ticket_and_no_mail(
    catalog, mailoutbox, django_capture_on_commit_callbacks
):
    incoming = IncomingRequest(
        channel=Channel.WEB,
        requester=RequesterData("Léa", "lea@example.fr"),
        subject="x",
        request_type=RequestType.objects.get(slug="nid-de-poule"),
        field_values={},
    )
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        intake_submit(incoming=incoming, actor=None)
    assert not Ticket.objects.exists() and mailoutbox == []


def test_what_the_channel_knows_is_kept_as_facts_of_the_creation(make_ticket):
    ticket = make_ticket(
        subject="Horaires",
        channel=Channel.EMAIL,
        channel_metadata={"message_id": "<abc@mail.example>"},
    )
    created = ticket.events.get(kind=Event.Kind.CREATED)
    assert created.data == {"channel": "email", "metadata": {"message_id": "<abc@mail.example>"}}
