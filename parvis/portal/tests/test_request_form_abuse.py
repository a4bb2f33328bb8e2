"""The public form under abuse: twenty requests in a second from one client, or to one address.

Issue 7, point 7: twenty posts in a second sent twenty acknowledgements, with the attacker's
text, to a victim's mailbox. Submissions are limited per client (here) and per address
(intake, every channel); a refused form is shown again with what was typed in it.
"""

from typing import Any

import pytest
from django.urls import reverse

from parvis.intake.pipeline import intake_submit
from parvis.tickets.models import Channel, Ticket
from parvis.tickets.structures import IncomingRequest, RequesterData

pytestmark = pytest.mark.django_db

# Different matters each time: one person's repeat of the same would be a follow-up of the
# first (intake.pipeline), not a new request counted against the limit.
TOPICS = [
    "Pour un dossier de mariage.",
    "Mon fils part étudier au Canada, il lui faut une copie.",
    "Renouvellement de passeport, la préfecture la demande.",
    "Succession de ma tante, le notaire en a besoin.",
    "Inscription au concours de la fonction publique territoriale.",
    "Pièce manquante pour la caisse de retraite.",
    "Dossier de pacs au tribunal, extrait avec filiation.",
    "Demande de nationalité, copie intégrale récente exigée.",
    "Le consulat veut un acte de moins de trois mois.",
    "Mutuelle : justificatif pour ajouter mon conjoint.",
]

BIRTH_URL = reverse("portal:request_form", args=["acte-de-naissance"])


@pytest.fixture(autouse=True)
def _limits(settings: Any) -> None:
    settings.PARVIS_SUBMIT_CLIENT_LIMIT = 10
    settings.PARVIS_SUBMIT_EMAIL_LIMIT = 5


def test_twenty_posts_from_one_client_make_ten_tickets(client, catalog, birth_form):
    statuses = [
        client.post(BIRTH_URL, birth_form(email=f"personne{n}@example.fr")).status_code
        for n in range(20)
    ]
    assert statuses == [302] * 10 + [429] * 10
    assert Ticket.objects.count() == 10


def test_a_refused_form_is_shown_again_with_what_was_typed(client, catalog, birth_form, settings):
    settings.PARVIS_SUBMIT_CLIENT_LIMIT = 0
    response = client.post(BIRTH_URL, birth_form(description="Pour mon dossier de mariage, merci."))
    assert response.status_code == 429
    html = response.content.decode()
    assert "Beaucoup de demandes ont été envoyées depuis votre connexion" in html
    assert "Votre saisie est conservée" in html
    assert "Pour mon dossier de mariage, merci." in html
    assert 'value="Camille Martin"' in html
    assert 'value="camille@example.fr"' in html
    assert Ticket.objects.count() == 0


def test_clients_are_counted_apart(client, catalog, birth_form, settings):
    settings.PARVIS_SUBMIT_CLIENT_LIMIT = 1
    first = client.post(BIRTH_URL, birth_form(email="a@example.fr"), REMOTE_ADDR="192.0.2.1")
    second = client.post(BIRTH_URL, birth_form(email="b@example.fr"), REMOTE_ADDR="192.0.2.2")
    third = client.post(BIRTH_URL, birth_form(email="c@example.fr"), REMOTE_ADDR="192.0.2.1")
    assert [first.status_code, second.status_code, third.status_code] == [302, 302, 429]


def test_one_address_from_many_clients_is_limited_on_its_field(client, catalog, birth_form):
    statuses = [
        client.post(
            BIRTH_URL,
            birth_form(email="Victime@Example.fr", description=TOPICS[n]),
            REMOTE_ADDR=f"198.51.100.{n}",
        ).status_code
        for n in range(8)
    ]
    assert statuses == [302] * 5 + [429] * 3
    response = client.post(
        BIRTH_URL,
        birth_form(email="victime@example.fr", description=TOPICS[9]),
        REMOTE_ADDR="198.51.100.99",
    )
    html = response.content.decode()
    assert "Plusieurs demandes viennent déjà d&#x27;être déposées avec cette adresse" in html
    assert 'id="id_email_error"' in html, "the message is on the email field"
    assert Ticket.objects.count() == 5


def test_a_form_sent_twice_is_counted_once(client, catalog, birth_form, settings):
    settings.PARVIS_SUBMIT_CLIENT_LIMIT = 1
    token = "a" * 32
    assert client.post(BIRTH_URL, birth_form(submission_token=token)).status_code == 302
    assert client.post(BIRTH_URL, birth_form(submission_token=token)).status_code == 302
    assert Ticket.objects.count() == 1


def _incoming(email: str, channel: Channel, number: int = 0) -> IncomingRequest:
    return IncomingRequest(
        channel=channel,
        requester=RequesterData("Camille Martin", email),
        subject="Question",
        description=TOPICS[number],
    )


def test_the_address_limit_holds_on_every_channel_a_citizen_files_from(catalog):
    from django.core.exceptions import ValidationError

    for number in range(5):
        intake_submit(incoming=_incoming("victime@example.fr", Channel.EMAIL, number), actor=None)
    with pytest.raises(ValidationError) as refused:
        intake_submit(incoming=_incoming("victime@example.fr", Channel.EMAIL, 5), actor=None)
    assert "email" in refused.value.message_dict


def test_an_agent_typing_requests_in_is_not_counted(catalog, make_agent):
    agent = make_agent("accueil")
    for number in range(8):
        intake_submit(
            incoming=_incoming("association@example.fr", Channel.PHONE, number), actor=agent
        )
    assert Ticket.objects.count() == 8
