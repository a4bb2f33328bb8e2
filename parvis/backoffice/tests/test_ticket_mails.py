"""The ticket page answers "was the mail sent?": its mails, their status, and a failing address."""

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from parvis.accounts.actions import requester_email_failing
from parvis.conftest import run_worker
from parvis.notifications.actions import mail_mark_bounced
from parvis.notifications.models import Audience, Mail
from parvis.tickets.actions import ticket_add_citizen_message, ticket_reply
from parvis.tickets.models import Ticket


def page(client: Any, ticket: Ticket) -> str:
    response = client.get(reverse("backoffice:ticket", args=[ticket.reference]))
    assert response.status_code == 200
    return str(response.text)


def mails_section(text: str) -> str:
    start = text.index('id="mails-title"')
    return text[start : text.index("</section>", start)]


def test_the_page_lists_the_mails_of_the_ticket_with_their_status(
    login: Any, voirie_agent: Any, pothole: Ticket, make_agent: Any
) -> None:
    colleague = make_agent("services-techniques", email="ines@mairie.test")
    acknowledgement = Mail.objects.get(ticket=pothole, template="acknowledgement")
    ticket_reply(ticket=pothole, actor=voirie_agent, body="Nous passons jeudi.")
    ticket_add_citizen_message(ticket=pothole, body="Merci")
    run_worker()
    reply = Mail.objects.get(ticket=pothole, template="reply")
    Mail.objects.filter(pk=reply.pk).update(
        sent_at=None,
        last_error="Connexion refusée",
        send_attempts=3,
        next_attempt_at=timezone.now(),
    )
    mail_mark_bounced(message_ids=[acknowledgement.message_id])

    section = mails_section(page(login(voirie_agent), pothole))
    for text in (
        "Accusé de réception",
        "Réponse",
        "Avis aux agents : message de l&#x27;usager",
        "camille@example.fr",
        voirie_agent.email,
        acknowledgement.message_id.replace("<", "&lt;").replace(">", "&gt;"),
        "Non remis",
        "Échec",
        "Connexion refusée",
        "3 tentatives, nouvel essai le",
        "À l'usager",  # {% translate %} leaves the apostrophe as it is
        "Avis aux agents",
    ):
        assert text in section, text
    assert colleague.email not in section, "the assignee was told, not the service"
    assert section.index("Accusé de réception") < section.index("Avis aux agents : message")


def test_a_mail_sent_waiting_or_kept_locally_says_so(
    login: Any, voirie_agent: Any, pothole: Ticket, settings: Any
) -> None:
    client = login(voirie_agent)
    assert "Envoyé" in mails_section(page(client, pothole))  # the acknowledgement went
    ticket_reply(ticket=pothole, actor=voirie_agent, body="Nous passons jeudi.")
    from parvis.tickets.outbox import dispatch_pending

    dispatch_pending()  # written, not sent yet
    assert "En attente" in mails_section(page(client, pothole))
    settings.PARVIS_MAIL_SEND = False
    ticket_reply(ticket=pothole, actor=voirie_agent, body="Et vendredi.")
    dispatch_pending()
    assert "Gardé dans la boîte locale" in mails_section(page(client, pothole))


def test_tracking_links_in_the_listed_mails_are_masked(
    login: Any, voirie_agent: Any, make_ticket: Any, confirmed_address: Any
) -> None:
    confirmed_address("camille@example.fr", name="Camille Martin")
    ticket = make_ticket("nid-de-poule")
    assert ticket.tracking_token in Mail.objects.get(ticket=ticket).body
    text = page(login(voirie_agent), ticket)
    assert ticket.tracking_token not in text
    assert "/suivi/••••••" in mails_section(text)


def test_the_mails_cost_one_query_whatever_their_number(
    login: Any, voirie_agent: Any, pothole: Ticket
) -> None:
    client = login(voirie_agent)
    ticket_reply(ticket=pothole, actor=voirie_agent, body="Réponse 0")
    # A citizen message first: with none, the page skips the query of their original mails.
    ticket_add_citizen_message(ticket=pothole, body="Message 0")
    run_worker()
    page(client, pothole)
    with CaptureQueriesContext(connection) as few:
        page(client, pothole)
    for number in range(1, 8):
        ticket_reply(ticket=pothole, actor=voirie_agent, body=f"Réponse {number}")
        ticket_add_citizen_message(ticket=pothole, body=f"Message {number}")
    run_worker()
    assert Mail.objects.filter(ticket=pothole).count() > 15
    assert Mail.objects.filter(ticket=pothole, audience=Audience.AGENT).exists()
    with CaptureQueriesContext(connection) as many:
        page(client, pothole)
    assert len(many.captured_queries) == len(few.captured_queries)


def test_a_failing_address_is_shown_on_the_ticket(
    login: Any, voirie_agent: Any, pothole: Ticket
) -> None:
    client = login(voirie_agent)
    assert "ne sont pas remis" not in page(client, pothole)
    assert requester_email_failing(requester_id=pothole.requester_id, email="camille@example.fr")
    pothole.requester.refresh_from_db()
    since = timezone.localtime(pothole.requester.email_failed_at).strftime("%d/%m/%Y")

    text = page(client, pothole)
    assert f"Les courriels à cette adresse ne sont pas remis depuis le {since}" in text


def test_no_warning_when_the_ticket_gave_another_address(
    login: Any, voirie_agent: Any, make_ticket: Any
) -> None:
    from parvis.tickets.structures import RequesterData

    ticket = make_ticket("nid-de-poule", requester=RequesterData("Camille", "camille@example.fr"))
    requester = ticket.requester
    requester.failing_email = "ancienne@example.fr"
    requester.email_failed_at = timezone.now()
    requester.save()
    assert "ne sont pas remis" not in page(login(voirie_agent), ticket)


@pytest.fixture(autouse=True)
def _assignee_has_an_address(voirie_agent: Any) -> None:
    assert voirie_agent.email
