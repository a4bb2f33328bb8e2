"""Acknowledgements that cannot be turned into phishing from the mairie, nor into a flood.

Issue 7, point 7. Anyone can type someone else's address in the public form: until its owner
has confirmed it, the acknowledgement says the reference and the démarche, and nothing the
submitter typed, and carries no link. Acknowledgements (and tracking links) to one address
are capped per hour; the one withheld is recorded on the ticket for agents.
"""

import re
from typing import Any

import pytest
from django.urls import reverse

from parvis.notifications.models import Mail
from parvis.tickets import actions
from parvis.tickets.models import Event
from parvis.tickets.structures import RequesterData

pytestmark = pytest.mark.django_db

PHISHING = "Votre compte sera fermé : connectez-vous sur https://mairie-paiement.example/"


def _filed_by_someone_else(make_ticket: Any, email: str = "victime@example.fr") -> Any:
    return make_ticket(
        "nid-de-poule",
        subject=PHISHING,
        description=PHISHING,
        requester=RequesterData("Service des impôts https://phishing.example", email),
    )


def test_an_unconfirmed_address_gets_the_reference_and_the_demarche_only(make_ticket, mailoutbox):
    ticket = _filed_by_someone_else(make_ticket)
    [mail] = mailoutbox
    assert ticket.reference in mail.subject and ticket.reference in mail.body
    assert "Démarche : Signaler un nid-de-poule" in mail.body
    for typed in ("connectez-vous", "mairie-paiement", "impôts", "phishing"):
        assert typed not in mail.subject + mail.body
    assert not re.search(r"https?://", mail.body), "no link at all"
    assert "Si vous n'êtes pas à l'origine de cette demande" in mail.body


def test_a_confirmed_address_gets_the_whole_acknowledgement_with_its_link(
    make_ticket, mailoutbox, confirmed_address
):
    confirmed_address("lea@example.fr")
    ticket = make_ticket(
        "nid-de-poule", subject="Trou rue Hugo", requester=RequesterData("Léa", "lea@example.fr")
    )
    [mail] = mailoutbox
    assert "Bonjour Léa" in mail.body and "« Trou rue Hugo »" in mail.body
    assert f"/suivi/{ticket.tracking_token}/?courriel=" in mail.body


def test_a_confirmation_does_not_pass_to_another_address(
    make_ticket, mailoutbox, confirmed_address
):
    requester = confirmed_address("lea@example.fr")
    requester.email = "nouvelle@example.fr"  # changed in the administration afterwards
    requester.save()
    _filed_by_someone_else(make_ticket, "nouvelle@example.fr")
    assert "mairie-paiement" not in mailoutbox[0].body


def test_acknowledgements_to_one_address_are_capped_per_hour(
    make_ticket, make_agent, mailoutbox, settings
):
    settings.PARVIS_ACKNOWLEDGEMENTS_PER_HOUR = 3
    tickets = [_filed_by_someone_else(make_ticket) for _ in range(5)]
    assert len(mailoutbox) == 3
    assert Mail.objects.filter(to="victime@example.fr").count() == 3
    for ticket in tickets[3:]:
        assert not Mail.objects.filter(ticket=ticket).exists(), "the mail is not written"
        withheld = Event.objects.get(ticket=ticket, kind=Event.Kind.MAIL_WITHHELD)
        created = Event.objects.get(ticket=ticket, kind=Event.Kind.CREATED)
        assert withheld.data == {
            "template": "acknowledgement",
            "reason": "hourly_cap",
            "limit": 3,
            "event_id": created.pk,
        }


def test_other_addresses_are_not_held_back(make_ticket, mailoutbox, settings):
    settings.PARVIS_ACKNOWLEDGEMENTS_PER_HOUR = 1
    _filed_by_someone_else(make_ticket, "un@example.fr")
    _filed_by_someone_else(make_ticket, "deux@example.fr")
    assert len(mailoutbox) == 2


def test_tracking_links_count_against_the_same_cap(make_ticket, mailoutbox, settings):
    settings.PARVIS_ACKNOWLEDGEMENTS_PER_HOUR = 2
    ticket = _filed_by_someone_else(make_ticket)
    for _ in range(3):
        actions.ticket_send_tracking_link(ticket=ticket)
    from parvis.conftest import run_worker

    run_worker()
    assert [m.template for m in Mail.objects.order_by("pk")] == ["acknowledgement", "tracking_link"]
    assert Event.objects.filter(ticket=ticket, kind=Event.Kind.MAIL_WITHHELD).count() == 2


def test_agents_read_why_the_acknowledgement_was_not_sent(
    client, make_ticket, make_agent, settings
):
    settings.PARVIS_ACKNOWLEDGEMENTS_PER_HOUR = 1
    _filed_by_someone_else(make_ticket)
    ticket = _filed_by_someone_else(make_ticket)
    client.force_login(make_agent("services-techniques"))
    page = client.get(reverse("backoffice:ticket", args=[ticket.reference])).content.decode()
    assert (
        "Accusé de réception non envoyé : cette adresse a déjà reçu 1 courriel automatique "
        "dans l&#x27;heure"
    ) in page


def test_a_request_an_agent_typed_in_gets_the_whole_acknowledgement(
    catalog, make_agent, mailoutbox
):
    from parvis.conftest import run_worker
    from parvis.intake.pipeline import intake_submit
    from parvis.tickets.models import Channel
    from parvis.tickets.structures import IncomingRequest

    ticket = intake_submit(
        incoming=IncomingRequest(
            channel=Channel.PHONE,
            requester=RequesterData("Léa Petit", "lea@example.fr"),
            subject="Lampadaire éteint",
            description="Appel de Mme Petit.",
        ),
        actor=make_agent("accueil"),
    ).ticket
    run_worker()
    [mail] = mailoutbox
    assert "Bonjour Léa Petit" in mail.body and "« Lampadaire éteint »" in mail.body
    assert f"/suivi/{ticket.tracking_token}/?courriel=" in mail.body
