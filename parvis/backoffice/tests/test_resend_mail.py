"""Resending the acknowledgement or a reply from the ticket page: an event, one new mail."""

from typing import Any

import pytest
from django.urls import reverse

from parvis.accounts.models import User
from parvis.conftest import run_worker
from parvis.notifications.models import Mail
from parvis.privacy.models import AccessLog
from parvis.tickets.actions import ticket_reply
from parvis.tickets.models import Event, Ticket
from parvis.tickets.structures import RequesterData


@pytest.fixture(autouse=True)
def _mail_stays_local(settings: Any) -> None:
    settings.PARVIS_MAIL_SEND = False


def _event(ticket: Ticket, kind: str) -> Event:
    return ticket.events.get(kind=kind)


def _resend(client: Any, ticket: Ticket, event: Event) -> Any:
    return client.post(reverse("backoffice:resend_mail", args=[ticket.reference, event.pk]))


def test_the_page_offers_to_resend_the_acknowledgement_and_each_reply(
    login: Any, voirie_agent: Any, pothole: Ticket
) -> None:
    reply = ticket_reply(ticket=pothole, actor=voirie_agent, body="Nous passons lundi.")
    client = login(voirie_agent)
    response = client.get(reverse("backoffice:ticket", args=[pothole.reference]))
    assert "Renvoyer l'accusé de réception" in response.text
    assert "Renvoyer cette réponse par courriel" in response.text
    for kind in ("created", "reply"):
        url = reverse("backoffice:resend_mail", args=[pothole.reference, _event(pothole, kind).pk])
        assert url in response.text
    assert reply.pk


def test_resending_the_acknowledgement_records_an_event_and_writes_one_mail(
    login: Any, voirie_agent: Any, pothole: Ticket
) -> None:
    created = _event(pothole, "created")
    response = _resend(login(voirie_agent), pothole, created)
    assert response.status_code == 302
    resent = _event(pothole, "mail_resent")
    assert resent.actor == voirie_agent
    assert resent.data == {"event_id": created.pk, "event_kind": "created"}
    run_worker()
    run_worker()
    mails = Mail.objects.filter(ticket=pothole).order_by("pk")
    assert [m.template for m in mails] == ["acknowledgement", "acknowledgement"]
    assert mails[1].event == resent
    assert mails[0].body == mails[1].body
    page = login(voirie_agent).get(reverse("backoffice:ticket", args=[pothole.reference]))
    assert "Accusé de réception renvoyé à l&#x27;usager par courriel" in page.text


def test_resending_a_reply_writes_that_reply_again(
    login: Any, voirie_agent: Any, pothole: Ticket
) -> None:
    ticket_reply(ticket=pothole, actor=voirie_agent, body="Première réponse.")
    ticket_reply(ticket=pothole, actor=voirie_agent, body="Seconde réponse.")
    run_worker()
    first = pothole.events.filter(kind="reply").order_by("pk").first()
    assert first is not None
    _resend(login(voirie_agent), pothole, first)
    run_worker()
    mail = Mail.objects.filter(ticket=pothole).order_by("-pk").first()
    assert mail is not None and mail.template == "reply"
    assert "Première réponse." in mail.body
    assert "Seconde réponse." not in mail.body


def test_nothing_is_offered_or_resent_without_an_email(
    login: Any, voirie_agent: Any, make_ticket: Any
) -> None:
    ticket = make_ticket("nid-de-poule", requester=RequesterData("Paul Dupont", "", "0612345678"))
    client = login(voirie_agent)
    page = client.get(reverse("backoffice:ticket", args=[ticket.reference]))
    assert "Renvoyer l'accusé de réception" not in page.text
    response = _resend(client, ticket, _event(ticket, "created"))
    assert response.status_code == 302
    assert not ticket.events.filter(kind="mail_resent").exists()
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("pas de courriel" in m for m in messages)


def test_only_the_acknowledgement_and_replies_may_be_resent(
    login: Any, voirie_agent: Any, pothole: Ticket
) -> None:
    _resend(login(voirie_agent), pothole, _event(pothole, "routed"))
    assert not pothole.events.filter(kind="mail_resent").exists()


def test_an_event_of_another_ticket_is_not_found(
    login: Any, voirie_agent: Any, pothole: Ticket, make_ticket: Any
) -> None:
    other = make_ticket("graffiti")
    response = _resend(login(voirie_agent), pothole, _event(other, "created"))
    assert response.status_code == 404


def test_an_agent_of_another_service_cannot_resend(
    login: Any, etat_civil_agent: Any, pothole: Ticket
) -> None:
    response = _resend(login(etat_civil_agent), pothole, _event(pothole, "created"))
    assert response.status_code == 404
    assert not pothole.events.filter(kind="mail_resent").exists()


def test_a_confidential_resend_is_refused_to_the_administrator_and_logged(
    login: Any, social_aid: Ticket, make_agent: Any
) -> None:
    admin: User = make_agent("accueil", is_superuser=True)
    response = _resend(login(admin), social_aid, _event(social_aid, "created"))
    assert response.status_code == 404
    assert not social_aid.events.filter(kind="mail_resent").exists()
    assert AccessLog.objects.get().granted is False


def test_the_ccas_resends_a_confidential_acknowledgement_logged(
    login: Any, ccas_agent: Any, social_aid: Ticket
) -> None:
    _resend(login(ccas_agent), social_aid, _event(social_aid, "created"))
    run_worker()
    assert Mail.objects.filter(ticket=social_aid, template="acknowledgement").count() == 2
    assert AccessLog.objects.filter(granted=True).count() == 1
