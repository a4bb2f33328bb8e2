"""The quarantine page: administrators read the mail that failed, and settle each message."""

import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from parvis.backoffice.tests.conftest import email_bytes
from parvis.catalog.models import Service
from parvis.mailin.models import InboundHandling, InboundMessage, Mailbox
from parvis.tickets.models import Message, Ticket

pytestmark = pytest.mark.django_db

QUOTED = (
    "Je vous renvoie la photo demandée.\n\n"
    "Le lun. 30 nov. 2026 à 10:12, Mairie <contact@ma-commune.fr> a écrit :\n"
    "> Pouvez-vous nous envoyer une photo du banc ?\n"
)


@pytest.fixture
def administrator(catalog: None, make_agent: Any) -> Any:
    return make_agent("accueil", username="admin", is_staff=True, is_superuser=True)


def _list(client: Any, **params: str) -> Any:
    return client.get(reverse("backoffice:quarantine"), params)


def _detail(client: Any, inbound: InboundMessage) -> Any:
    return client.get(reverse("backoffice:quarantine_message", args=[inbound.pk]))


def test_the_list_shows_each_quarantined_message_and_its_error(
    login: Any, administrator: Any, quarantine_email: Any
) -> None:
    quarantine_email()
    response = _list(login(administrator))
    assert response.status_code == 200, response.text
    text = response.text
    assert "Courriels en quarantaine" in text
    assert "Camille Martin &lt;camille@example.fr&gt;" in text
    assert "Banc cassé square Jean Moulin" in text
    assert "RuntimeError: service de routage indisponible" in text
    assert "contact@ma-commune.fr" in text
    assert 'aria-current="page">Quarantaine</a>' in text


def test_processed_and_discarded_messages_leave_the_list(
    login: Any, administrator: Any, quarantine_email: Any
) -> None:
    from parvis.backoffice.tests.conftest import ingest_email
    from parvis.mailin.actions import inbound_discard

    ingest_email(email_bytes(subject="Traité tout seul", message_id="<ok@example.fr>"))
    discarded = quarantine_email(email_bytes(subject="Pourriel", message_id="<spam@example.fr>"))
    inbound_discard(discarded, actor=administrator)
    text = _list(login(administrator)).text
    assert "Traité tout seul" not in text and "Pourriel" not in text
    assert "Aucun courriel en quarantaine." in text


def test_the_list_reads_as_many_queries_for_one_message_as_for_a_full_page(
    login: Any, administrator: Any, quarantine_email: Any
) -> None:
    client = login(administrator)
    quarantine_email(email_bytes(message_id="<first@example.fr>"))
    _list(client)
    with CaptureQueriesContext(connection) as one:
        _list(client)
    for number in range(30):
        quarantine_email(email_bytes(subject=f"Message {number}", message_id=f"<m{number}@x.fr>"))
    with CaptureQueriesContext(connection) as many:
        response = _list(client)
    assert len(re.findall(r'href="/agents/quarantaine/\d+/"', response.text)) == 25
    assert "Page 1 sur 2" in response.text
    assert len(many.captured_queries) == len(one.captured_queries) <= 8


def test_an_agent_who_is_not_an_administrator_is_refused(
    login: Any, voirie_agent: Any, quarantine_email: Any
) -> None:
    inbound = quarantine_email()
    client = login(voirie_agent)
    for url in (
        reverse("backoffice:quarantine"),
        reverse("backoffice:quarantine_message", args=[inbound.pk]),
        reverse("backoffice:quarantine_eml", args=[inbound.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 403
        assert "réservée aux administrateurs" in response.text
    for name in ("quarantine_retry", "quarantine_discard", "quarantine_attach"):
        client.post(reverse(f"backoffice:{name}", args=[inbound.pk]), {"reference": "2026-00001"})
    inbound.refresh_from_db()
    assert inbound.state == InboundMessage.State.QUARANTINED
    assert not InboundHandling.objects.exists()
    assert "Quarantaine" not in client.get(reverse("backoffice:queue")).text


def test_the_message_page_shows_headers_both_texts_error_and_refused_files(
    login: Any, administrator: Any, quarantine_email: Any
) -> None:
    inbound = quarantine_email(email_bytes(body=QUOTED))
    InboundMessage.objects.filter(pk=inbound.pk).update(refused_files=["virus.exe"])
    text = _detail(login(administrator), inbound).text
    assert "<h1>Courriel reçu : Banc cassé square Jean Moulin</h1>" in text
    assert "Mon, 30 Nov 2026 10:12:00 +0100" in text
    assert "Je vous renvoie la photo demandée." in text  # the cleaned text
    assert "&gt; Pouvez-vous nous envoyer une photo du banc ?" in text  # the full text
    assert "RuntimeError: service de routage indisponible" in text
    assert "Traceback" in text  # the technical detail, folded
    assert "Pièces jointes refusées" in text and "virus.exe" in text
    assert "Aucune intervention pour l'instant." in text


def test_the_raw_message_downloads_byte_for_byte(
    login: Any, administrator: Any, quarantine_email: Any
) -> None:
    inbound = quarantine_email()
    response = login(administrator).get(reverse("backoffice:quarantine_eml", args=[inbound.pk]))
    assert response.content == email_bytes()
    assert response["Content-Type"] == "message/rfc822"
    assert response["Content-Disposition"].startswith("attachment;")


def test_assigning_to_a_ticket_appends_it_and_the_history_says_who(
    login: Any, administrator: Any, quarantine_email: Any, make_ticket: Any
) -> None:
    ticket = make_ticket("nid-de-poule", subject="Trou rue Victor Hugo")
    inbound = quarantine_email(email_bytes(body=QUOTED))
    client = login(administrator)
    url = reverse("backoffice:quarantine_attach", args=[inbound.pk])

    response = client.post(url, {"reference": ticket.reference}, follow=True)
    assert response.status_code == 200, response.text

    assert response.redirect_chain[-1][0] == reverse("backoffice:ticket", args=[ticket.reference])
    assert f"Message ajouté à la demande {ticket.reference}." in response.text
    message = Message.objects.get(ticket=ticket, kind=Message.Kind.CITIZEN)
    assert message.body == "Je vous renvoie la photo demandée."
    assert "Afficher le message d'origine" in response.text
    text = _detail(client, inbound).text
    assert ": rattaché à une demande" in text and ticket.reference in text
    assert str(administrator) in text
    assert "Rattacher</button>" not in text  # settled: no more actions


def test_a_wrong_reference_comes_back_with_a_french_error(
    login: Any, administrator: Any, quarantine_email: Any
) -> None:
    inbound = quarantine_email()
    client = login(administrator)
    url = reverse("backoffice:quarantine_attach", args=[inbound.pk])
    response = client.post(url, {"reference": "2026-99999"})
    assert response.status_code == 400
    assert "Aucune demande 2026-99999 parmi celles que vous pouvez ouvrir." in response.text
    assert 'value="2026-99999"' in response.text
    response = client.post(url, {"reference": ""})
    assert "Indiquez le numéro de suivi de la demande." in response.text
    inbound.refresh_from_db()
    assert inbound.state == InboundMessage.State.QUARANTINED


def test_retry_and_discard_from_the_page(
    login: Any, administrator: Any, quarantine_email: Any
) -> None:
    first = quarantine_email()
    second = quarantine_email(email_bytes(subject="Publicité", message_id="<pub@x.fr>"))
    client = login(administrator)

    response = client.post(reverse("backoffice:quarantine_retry", args=[first.pk]), follow=True)
    assert "Message traité : nouvelle demande." in response.text
    assert Ticket.objects.get().subject == "Banc cassé square Jean Moulin"
    response = client.post(reverse("backoffice:quarantine_discard", args=[second.pk]), follow=True)
    assert "Message écarté. Il reste conservé." in response.text
    assert "Aucun courriel en quarantaine." in response.text
    actions = InboundHandling.objects.order_by("pk").values_list("action", "state", "outcome")
    assert list(actions) == [
        ("retry", "processed", "created"),
        ("discard", "discarded", "quarantined"),
    ]


def test_a_retry_that_fails_again_stays_in_quarantine_with_the_new_error(
    login: Any, administrator: Any, quarantine_email: Any
) -> None:
    from unittest import mock

    inbound = quarantine_email()
    client = login(administrator)

    def still_broken(**kwargs: Any) -> Any:
        raise RuntimeError("annuaire injoignable")

    with mock.patch("parvis.mailin.actions.intake_submit", still_broken):
        response = client.post(
            reverse("backoffice:quarantine_retry", args=[inbound.pk]), follow=True
        )
    assert "Le traitement a encore échoué" in response.text
    assert "RuntimeError: annuaire injoignable" in response.text
    inbound.refresh_from_db()
    assert (inbound.state, inbound.attempts) == (InboundMessage.State.QUARANTINED, 2)
    handling = InboundHandling.objects.get()
    assert (handling.action, handling.state) == ("retry", "quarantined")
    assert ": traitement réessayé (mis en quarantaine)" in response.text


def test_mail_to_a_confidential_service_s_address_is_only_for_its_members(
    login: Any, administrator: Any, quarantine_email: Any, ccas_agent: Any
) -> None:
    ccas = Service.objects.get(slug="ccas")
    ccas.is_confidential = True
    ccas.save()
    mailbox = Mailbox.objects.create(address="ccas@ma-commune.fr", service=ccas)
    inbound = quarantine_email(email_bytes(subject="Aide facture", to="ccas@ma-commune.fr"))
    InboundMessage.objects.filter(pk=inbound.pk).update(mailbox=mailbox)

    client = login(administrator)
    assert "Aide facture" not in _list(client).text
    assert _detail(client, inbound).status_code == 404

    ccas_agent.is_staff = True
    ccas_agent.save()
    assert "Aide facture" in _list(login(ccas_agent)).text
