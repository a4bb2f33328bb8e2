"""The tracking page: what the citizen sees of their request, and what they never see."""

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from parvis.catalog.models import Service
from parvis.tickets.actions import (
    ticket_add_citizen_message,
    ticket_add_note,
    ticket_change_status,
    ticket_reply,
    ticket_transfer,
)
from parvis.tickets.files import CheckedFile
from parvis.tickets.models import Attachment, Status

pytestmark = pytest.mark.django_db


def _url(ticket):
    return reverse("portal:track", args=[ticket.tracking_token])


def _file(name="lettre.txt", text=b"Bonjour"):
    return CheckedFile(
        name=name, content=ContentFile(text, name=name), content_type="text/plain", size=len(text)
    )


def test_it_shows_the_reference_status_demarche_and_values(client, make_ticket):
    ticket = make_ticket(
        "acte-de-naissance",
        subject="Acte pour mon dossier",
        field_values={
            "birth_last_name": "Martin",
            "first_names": "Camille",
            "birth_date": "1990-05-12",
            "birth_place": "Ma commune",
            "copy_type": "copie-integrale",
            "requester_relation": "titulaire",
            "copies": 2,
            "delivery_mode": "courrier",
            "delivery_address": "1 rue Haute",
        },
    )
    response = client.get(_url(ticket))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<span class="reference reference-big">{ticket.reference}</span>' in html
    assert "Demande d&#x27;acte de naissance" in html
    assert "État civil" in html
    assert '<span class="badge status-new">Nouvelle</span>' in html
    assert "<dt>Date de naissance</dt><dd>12/05/1990</dd>" in html
    assert "<dt>Type de document</dt><dd>Copie intégrale</dd>" in html
    assert "Demande reçue" in html
    assert "Ajouter un message" in html
    assert "Relancer ma demande" not in html, "just filed: no follow-up yet (test_follow_ups.py)"
    assert html.count("<h1") == 1


def test_it_is_kept_out_of_search_engines_and_referers(client, make_ticket):
    response = client.get(_url(make_ticket()))
    assert '<meta name="robots" content="noindex, nofollow">' in response.content.decode()
    # Not "no-referrer": browsers would then post the page's forms with "Origin: null",
    # which the CSRF check refuses (see the browser journey).
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-store" in response["Cache-Control"]


def test_it_returns_404_for_an_unknown_token(client, catalog):
    assert client.get(reverse("portal:track", args=["nimportequoi"])).status_code == 404


def test_it_escapes_what_the_citizen_typed(client, make_ticket):
    ticket = make_ticket(
        subject="<script>alert('x')</script>", description="<img src=x onerror=alert(1)>"
    )
    html = client.get(_url(ticket)).content.decode()
    assert "<script>alert(" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
    assert "<img src=x" not in html


def test_it_shows_a_reply_as_from_the_service_never_the_agent(client, make_ticket, make_agent):
    ticket = make_ticket("acte-de-naissance")
    agent = make_agent("etat-civil", first_name="Bernadette", last_name="Dupuis-Confidentiel")
    ticket_reply(ticket=ticket, actor=agent, body="Votre acte est prêt.", files=[_file("acte.txt")])
    html = client.get(_url(ticket)).content.decode()
    assert "Réponse du service État civil" in html
    assert "Votre acte est prêt." in html
    assert "acte.txt" in html
    assert "Statut : en cours" in html
    assert "Bernadette" not in html
    assert "Dupuis-Confidentiel" not in html


def test_it_shows_a_transfer_without_its_internal_reason(client, make_ticket, make_agent):
    ticket = make_ticket("question-generale")
    agent = make_agent("accueil", "urbanisme")
    ticket_transfer(
        ticket=ticket,
        actor=agent,
        to_service=Service.objects.get(slug="urbanisme"),
        reason="Usager pénible, motif interne",
    )
    ticket.refresh_from_db()
    ticket_reply(ticket=ticket, actor=agent, body="Voici le PLU.")
    html = client.get(_url(ticket)).content.decode()
    assert "Demande transmise au service Urbanisme" in html
    assert "Réponse du service Urbanisme" in html
    assert "motif interne" not in html


def test_it_signs_an_old_reply_with_the_service_of_the_time(client, make_ticket, make_agent):
    ticket = make_ticket("question-generale")
    agent = make_agent("accueil", "urbanisme")
    ticket_reply(ticket=ticket, actor=agent, body="Je transmets.")
    ticket_transfer(
        ticket=ticket, actor=agent, to_service=Service.objects.get(slug="urbanisme"), reason="PLU"
    )
    html = client.get(_url(ticket)).content.decode()
    assert "Réponse du service Accueil de la mairie" in html


def test_it_never_shows_internal_notes_or_private_files(client, make_ticket, make_agent):
    ticket = make_ticket("acte-de-naissance")
    agent = make_agent("etat-civil")
    ticket_add_note(
        ticket=ticket,
        actor=agent,
        body="Note interne : dossier suspect.",
        files=[_file("interne.txt")],
    )
    html = client.get(_url(ticket)).content.decode()
    assert "dossier suspect" not in html
    assert "interne.txt" not in html


def test_it_lists_the_citizen_messages_and_follow_ups(client, make_ticket):
    ticket = make_ticket("acte-de-naissance")
    ticket_add_citizen_message(ticket=ticket, body="J'ajoute une précision.")
    ticket_add_citizen_message(ticket=ticket, body="Où en est-on ?", is_follow_up=True)
    html = client.get(_url(ticket)).content.decode()
    assert "Votre message" in html and "J&#x27;ajoute une précision." in html
    assert "Vous avez relancé votre demande" in html and "Où en est-on ?" in html


def test_it_links_the_files_sent_with_the_request(client, make_ticket):
    ticket = make_ticket("acte-de-naissance", files=[_file("justificatif.txt")])
    attachment = Attachment.objects.get()
    html = client.get(_url(ticket)).content.decode()
    assert reverse("portal:attachment", args=[ticket.tracking_token, attachment.pk]) in html
    assert "justificatif.txt" in html


def test_a_closed_ticket_offers_no_form(client, make_ticket, make_agent):
    ticket = make_ticket("acte-de-naissance")
    ticket_change_status(ticket=ticket, actor=make_agent("etat-civil"), status=Status.CLOSED)
    html = client.get(_url(ticket)).content.decode()
    assert "Cette demande est clôturée" in html
    assert "déposez une nouvelle demande" in html
    assert reverse("portal:add_message", args=[ticket.tracking_token]) not in html
    assert reverse("portal:follow_up", args=[ticket.tracking_token]) not in html


def test_it_reads_the_page_in_few_queries(client, make_ticket, django_assert_max_num_queries):
    ticket = make_ticket("acte-de-naissance", files=[_file()])
    ticket_add_citizen_message(ticket=ticket, body="Message", files=[_file()])
    client.get(_url(ticket))  # the process loads the commune and its catalogue copy once
    with django_assert_max_num_queries(6):
        assert client.get(_url(ticket)).status_code == 200


def test_its_query_count_does_not_grow_with_the_history(client, make_ticket, make_agent):
    ticket = make_ticket("acte-de-naissance")
    agent = make_agent("etat-civil")
    ticket_add_citizen_message(ticket=ticket, body="Premier", files=[_file()])
    client.get(_url(ticket))  # the process loads the commune and its catalogue copy once
    with CaptureQueriesContext(connection) as few:
        client.get(_url(ticket))
    for number in range(6):
        ticket_add_citizen_message(
            ticket=ticket, body=f"Message {number}", files=[_file(), _file()]
        )
        ticket_reply(ticket=ticket, actor=agent, body=f"Réponse {number}", files=[_file()])
    with CaptureQueriesContext(connection) as many:
        html = client.get(_url(ticket)).content.decode()
    assert "Réponse 5" in html
    assert len(many) == len(few)
