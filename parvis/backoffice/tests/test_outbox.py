"""The local outbox page: each agent reads the mails of the tickets they may open.

The attack of issue 7: without SMTP, the administrator read a CCAS acknowledgement in the
outbox, followed its tracking link and read the whole request, unlogged.
"""

from typing import Any

import pytest
from django.urls import reverse

from parvis.accounts.models import User
from parvis.notifications.models import Mail
from parvis.privacy.models import AccessContext, AccessLog
from parvis.tickets.models import Ticket


@pytest.fixture(autouse=True)
def _mail_stays_local(settings: Any) -> None:
    settings.PARVIS_MAIL_SEND = False


@pytest.fixture(autouse=True)
def _address_confirmed(confirmed_address: Any) -> None:
    # Acknowledgements to it then carry the tracking link these tests look for (ADR 0018).
    confirmed_address("camille@example.fr", name="Camille Martin")


@pytest.fixture
def superuser(db: None) -> User:
    return User.objects.create_superuser(username="admin", password="x", email="admin@mairie.test")


def _outbox(client: Any, **params: str) -> Any:
    return client.get(reverse("backoffice:outbox"), params)


def test_an_agent_reads_the_mails_of_their_service_s_tickets(
    login: Any, voirie_agent: Any, make_ticket: Any, mailoutbox: Any
) -> None:
    ticket = make_ticket("nid-de-poule")
    assert not mailoutbox, "nothing is sent without a mail server"
    response = _outbox(login(voirie_agent))
    assert response.status_code == 200
    assert f"Votre demande {ticket.reference} a bien été reçue" in response.text
    assert "camille@example.fr" in response.text


def test_an_agent_does_not_see_the_mails_of_another_service(
    login: Any, etat_civil_agent: Any, make_ticket: Any
) -> None:
    ticket = make_ticket("nid-de-poule")
    assert f"Votre demande {ticket.reference}" not in _outbox(login(etat_civil_agent)).text


def test_tracking_links_are_masked(login: Any, voirie_agent: Any, make_ticket: Any) -> None:
    ticket = make_ticket("nid-de-poule")
    assert ticket.tracking_token in Mail.objects.get(ticket=ticket).body, "the mail keeps it"
    response = _outbox(login(voirie_agent))
    assert ticket.tracking_token not in response.text
    assert "/suivi/••••••" in response.text


def test_the_administrator_does_not_read_a_ccas_acknowledgement(
    login: Any, superuser: User, social_aid: Ticket, pothole: Ticket
) -> None:
    response = _outbox(login(superuser))
    assert f"Votre demande {pothole.reference}" in response.text
    assert social_aid.reference not in response.text
    assert social_aid.tracking_token not in response.text
    assert not AccessLog.objects.exists()


def test_the_ccas_reads_its_mails_and_each_page_is_logged_once(
    login: Any, ccas_agent: Any, make_ticket: Any
) -> None:
    first = make_ticket("demande-aide-sociale")
    second = make_ticket("demande-aide-sociale")
    client = login(ccas_agent)
    response = _outbox(client)
    assert f"Votre demande {first.reference}" in response.text
    assert first.tracking_token not in response.text
    log = AccessLog.objects.get()
    assert (log.user, log.context, log.granted) == (ccas_agent, AccessContext.OUTBOX, True)
    assert set(log.tickets.all()) == {first, second}
    _outbox(client)
    assert AccessLog.objects.count() == 2


def test_mails_without_a_ticket_are_for_administrators_only(
    login: Any, voirie_agent: Any, make_agent: Any
) -> None:
    Mail.objects.create(to="camille@example.fr", subject="Essai d envoi", body="Bonjour")
    assert "Essai d envoi" not in _outbox(login(voirie_agent)).text
    staff = make_agent("accueil", is_staff=True)
    assert "Essai d envoi" in _outbox(login(staff)).text


def test_the_outbox_page_reads_a_bounded_number_of_queries(
    login: Any, ccas_agent: Any, make_ticket: Any, django_assert_max_num_queries: Any
) -> None:
    for _ in range(3):
        make_ticket("demande-aide-sociale")
    client = login(ccas_agent)
    _outbox(client)
    with django_assert_max_num_queries(12):
        _outbox(client)
    for _ in range(5):
        make_ticket("demande-aide-sociale")
    with django_assert_max_num_queries(12):
        _outbox(client)


def test_bad_page_numbers_fall_back_to_a_valid_page(login: Any, voirie_agent: Any) -> None:
    for page in ("abc", "-1", "99999", "1e3"):
        assert _outbox(login(voirie_agent), page=page).status_code == 200


def test_the_nav_links_the_outbox_for_every_agent_when_mail_stays_local(
    login: Any, voirie_agent: Any
) -> None:
    response = login(voirie_agent).get(reverse("backoffice:queue"))
    assert reverse("backoffice:outbox") in response.text


def test_the_nav_hides_the_outbox_when_smtp_is_configured(
    login: Any, voirie_agent: Any, settings: Any
) -> None:
    settings.PARVIS_MAIL_SEND = True
    response = login(voirie_agent).get(reverse("backoffice:queue"))
    assert reverse("backoffice:outbox") not in response.text


def test_notices_to_agents_are_told_apart_from_the_citizen_s_mails(
    login: Any, voirie_agent: Any, pothole: Ticket
) -> None:
    from parvis.conftest import run_worker
    from parvis.tickets.actions import ticket_add_citizen_message

    ticket_add_citizen_message(ticket=pothole, body="Toujours rien ?")
    run_worker()
    text = _outbox(login(voirie_agent)).text
    assert 'class="card mail-agent"' in text and 'class="card mail-citizen"' in text
    assert "Avis aux agents</span>" in text and "À l'usager</span>" in text
    assert f"à {voirie_agent.email}" in text
