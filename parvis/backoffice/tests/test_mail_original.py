"""A ticket's mail as the citizen sent it: the ticket page shows the cleaned text and links to
the whole original, read with the ticket's own access rules."""

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from parvis.backoffice.tests.conftest import email_bytes, ingest_email
from parvis.mailin.models import InboundMessage
from parvis.privacy.models import AccessContext, AccessLog
from parvis.tickets.models import Ticket
from parvis.tickets.structures import RequesterData

pytestmark = pytest.mark.django_db

CAMILLE = RequesterData("Camille Martin", "camille@example.fr")
QUOTED = (
    "Bonjour,\nil y a un trou dangereux devant l'école.\n\n"
    "Le lun. 30 nov. 2026 à 10:12, Voisin <voisin@example.fr> a écrit :\n"
    "> Tu as signalé le nid de poule de la rue des Écoles ?\n"
)
LINK = "Afficher le message d'origine"


@pytest.fixture
def emailed(catalog: None) -> InboundMessage:
    """A ticket of the services techniques opened by a mail that quotes an earlier one."""
    inbound = ingest_email(email_bytes(subject="Nid de poule rue des Écoles", body=QUOTED))
    assert inbound.outcome == InboundMessage.Outcome.CREATED
    assert inbound.ticket.service.slug == "services-techniques"
    return inbound


def _original(client: Any, ticket: Ticket, inbound: InboundMessage, eml: bool = False) -> Any:
    name = "backoffice:mail_original_eml" if eml else "backoffice:mail_original"
    return client.get(reverse(name, args=[ticket.reference, inbound.pk]))


def test_the_opening_mail_shows_cleaned_and_links_to_its_whole_original(
    login: Any, voirie_agent: Any, emailed: InboundMessage
) -> None:
    ticket = emailed.ticket
    client = login(voirie_agent)
    page = client.get(reverse("backoffice:ticket", args=[ticket.reference])).text
    assert "Tu as signalé le nid de poule" not in page  # the quote is cut from the ticket
    assert LINK in page
    assert reverse("backoffice:mail_original", args=[ticket.reference, emailed.pk]) in page

    original = _original(client, ticket, emailed).text
    assert "&gt; Tu as signalé le nid de poule de la rue des Écoles ?" in original
    assert "Camille Martin &lt;camille@example.fr&gt;" in original  # From
    assert "contact@ma-commune.fr" in original  # To
    assert "Mon, 30 Nov 2026 10:12:00 +0100" in original  # Date
    assert "Nid de poule rue des Écoles" in original  # Subject
    eml = _original(client, ticket, emailed, eml=True)
    assert eml.content == bytes(emailed.raw)
    assert eml["Content-Disposition"].startswith("attachment;")


def test_each_mailed_message_links_to_its_own_original(
    login: Any, voirie_agent: Any, emailed: InboundMessage
) -> None:
    ticket = emailed.ticket
    reply = ingest_email(
        email_bytes(
            subject=f"Re: [{ticket.reference}] Nid de poule",
            body="Il est toujours là.\n\nCamille\n-- \nCamille Martin, 06 12 34 56 78",
            message_id="<suite@example.fr>",
        )
    )
    assert reply.outcome == InboundMessage.Outcome.APPENDED
    client = login(voirie_agent)
    page = client.get(reverse("backoffice:ticket", args=[ticket.reference])).text
    assert page.count(LINK) == 2
    assert reverse("backoffice:mail_original", args=[ticket.reference, reply.pk]) in page
    assert "06 12 34 56 78" not in page  # the signature is cut…
    assert "06 12 34 56 78" in _original(client, ticket, reply).text  # …and kept in the original


def test_the_ticket_page_reads_as_many_queries_for_one_mailed_message_as_for_six(
    login: Any, voirie_agent: Any, emailed: InboundMessage
) -> None:
    ticket = emailed.ticket
    client = login(voirie_agent)

    def mail(number: int) -> None:
        ingest_email(
            email_bytes(
                subject=f"Re: [{ticket.reference}] suite {number}",
                body=f"Précision numéro {number}.",
                message_id=f"<suite{number}@example.fr>",
            )
        )

    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            response = client.get(reverse("backoffice:ticket", args=[ticket.reference]))
        assert response.status_code == 200
        return len(context.captured_queries)

    mail(0)
    queries()  # forms rendered once per process
    one = queries()
    for number in range(1, 6):
        mail(number)
    assert client.get(reverse("backoffice:ticket", args=[ticket.reference])).text.count(LINK) == 7
    assert queries() == one


def test_an_agent_who_may_not_open_the_ticket_may_not_read_its_mail(
    login: Any, etat_civil_agent: Any, voirie_agent: Any, emailed: InboundMessage, make_ticket: Any
) -> None:
    ticket = emailed.ticket
    client = login(etat_civil_agent)
    assert _original(client, ticket, emailed).status_code == 404
    assert _original(client, ticket, emailed, eml=True).status_code == 404
    other = make_ticket("nid-de-poule", subject="Autre trou")
    # A mail of one ticket is not read through another that the agent may open.
    assert _original(login(voirie_agent), other, emailed).status_code == 404


def test_the_original_of_a_confidential_ticket_is_logged_and_refused_to_others(
    login: Any, ccas_agent: Any, make_agent: Any, make_ticket: Any
) -> None:
    social = make_ticket("demande-aide-sociale", requester=CAMILLE, subject="Aide facture")
    reply = ingest_email(
        email_bytes(
            subject=f"Re: {social.reference}",
            body="Voici ma dernière facture.",
            message_id="<ccas@example.fr>",
        )
    )
    assert reply.ticket == social and social.is_confidential
    AccessLog.objects.all().delete()

    assert _original(login(ccas_agent), social, reply).status_code == 200
    entry = AccessLog.objects.get()
    assert (entry.user, entry.context, entry.granted) == (
        ccas_agent,
        AccessContext.TICKET_PAGE,
        True,
    )
    assert list(entry.tickets.all()) == [social]

    administrator = make_agent("accueil", is_staff=True, is_superuser=True)
    assert _original(login(administrator), social, reply, eml=True).status_code == 404
    refusal = AccessLog.objects.get(granted=False)
    assert (refusal.user, refusal.context) == (administrator, AccessContext.ATTACHMENT)


def test_an_html_mail_shows_its_formatted_version_sanitised(
    login: Any, voirie_agent: Any, catalog: None
) -> None:
    raw = (
        "From: Camille Martin <camille@example.fr>\r\nTo: contact@ma-commune.fr\r\n"
        "Subject: Nid de poule\r\nMessage-ID: <html-1@example.fr>\r\n"
        "MIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
        "<p>Un <b>trou</b> dangereux rue des Écoles.</p><script>alert(1)</script>"
        '<img src="https://tracker.example/p.gif">\r\n'
    ).encode()
    inbound = ingest_email(raw)
    page = _original(login(voirie_agent), inbound.ticket, inbound).text

    assert "Version mise en forme" in page
    assert "<p>Un <b>trou</b> dangereux rue des Écoles.</p>" in page
    assert "alert(1)" not in page and "tracker.example" not in page
