"""A confidential request's tracking link, followed by an agent: checked and logged.

The attack of issue 7: the administrator followed the tracking link of a CCAS
acknowledgement and read the whole request and its files, unlogged. The citizen (not
logged in) follows it as before.
"""

from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from parvis.accounts.models import User
from parvis.privacy.models import AccessContext, AccessLog
from parvis.tickets.models import Attachment, Ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def aid(make_ticket: Any) -> Ticket:
    return make_ticket("demande-aide-sociale", subject="Aide pour la facture")


@pytest.fixture
def admin(make_agent: Any) -> User:
    return make_agent("accueil", is_superuser=True, is_staff=True)


def _as(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _track(ticket: Ticket) -> str:
    return reverse("portal:track", args=[ticket.tracking_token])


def _file(ticket: Ticket) -> Attachment:
    return ticket.attachments.create(
        file=ContentFile(b"%PDF-1.4", name="avis.pdf"),
        original_name="avis.pdf",
        content_type="application/pdf",
        size=8,
    )


def test_the_administrator_is_refused_and_the_attempt_logged(aid: Ticket, admin: User) -> None:
    response = _as(admin).get(_track(aid))
    assert response.status_code == 404
    assert "Aide pour la facture" not in response.text
    log = AccessLog.objects.get()
    assert (log.user, log.context, log.granted) == (admin, AccessContext.TRACKING_PAGE, False)
    assert list(log.tickets.all()) == [aid]


def test_the_administrator_cannot_download_its_files_by_the_link(aid: Ticket, admin: User) -> None:
    attachment = _file(aid)
    url = reverse("portal:attachment", args=[aid.tracking_token, attachment.pk])
    assert _as(admin).get(url).status_code == 404
    assert not AccessLog.objects.get().granted


def test_the_administrator_cannot_write_on_it_by_the_link(aid: Ticket, admin: User) -> None:
    url = reverse("portal:add_message", args=[aid.tracking_token])
    assert _as(admin).post(url, {"body": "Bonjour"}).status_code == 404
    assert aid.messages.count() == 0


def test_a_ccas_agent_may_follow_it_and_is_logged(aid: Ticket, make_agent: Any) -> None:
    agent = make_agent("ccas")
    assert _as(agent).get(_track(aid)).status_code == 200
    log = AccessLog.objects.get()
    assert (log.user, log.context, log.granted) == (agent, AccessContext.TRACKING_PAGE, True)


def test_the_citizen_follows_it_as_before(client: Client, aid: Ticket) -> None:
    response = client.get(_track(aid))
    assert response.status_code == 200
    assert "Aide pour la facture" in response.text
    assert not AccessLog.objects.exists()


def test_an_agent_following_an_ordinary_link_is_not_logged(make_ticket: Any, admin: User) -> None:
    pothole = make_ticket("nid-de-poule")
    assert _as(admin).get(_track(pothole)).status_code == 200
    assert not AccessLog.objects.exists()
