"""The citizens' emails in the Django admin: the visibility of their tickets, links masked."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from parvis.accounts.models import User
from parvis.conftest import verified_login
from parvis.notifications.models import Mail
from parvis.privacy.models import AccessContext, AccessLog

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _address_confirmed(confirmed_address: Any) -> None:
    # Acknowledgements to it then carry the tracking link these tests look for (ADR 0018).
    confirmed_address("camille@example.fr", name="Camille Martin")


@pytest.fixture
def admin(make_agent: Any) -> Client:
    user: User = make_agent("accueil", is_superuser=True, is_staff=True)
    client = Client()
    verified_login(client, user)  # second factor given
    client.user = user  # type: ignore[attr-defined]
    return client


def test_the_list_leaves_out_the_mails_of_confidential_tickets(
    admin: Client, make_ticket: Any
) -> None:
    aid = make_ticket("demande-aide-sociale")
    pothole = make_ticket("nid-de-poule")
    response = admin.get(reverse("admin:notifications_mail_changelist"))
    assert response.status_code == 200
    assert f"Votre demande {pothole.reference}" in response.text
    assert aid.reference not in response.text


def test_a_confidential_mail_asked_for_by_number_is_refused_and_logged(
    admin: Client, make_ticket: Any
) -> None:
    aid = make_ticket("demande-aide-sociale")
    mail = Mail.objects.get(ticket=aid)
    response = admin.get(reverse("admin:notifications_mail_change", args=[mail.pk]), follow=True)
    assert aid.tracking_token not in response.text
    assert mail.subject not in response.text
    log = AccessLog.objects.get()
    assert (log.user, log.context, log.granted) == (admin.user, AccessContext.ADMIN, False)  # type: ignore[attr-defined]
    assert list(log.tickets.all()) == [aid]


def test_a_mail_shows_with_its_tracking_link_masked(admin: Client, make_ticket: Any) -> None:
    pothole = make_ticket("nid-de-poule")
    mail = Mail.objects.get(ticket=pothole)
    response = admin.get(reverse("admin:notifications_mail_change", args=[mail.pk]))
    assert response.status_code == 200
    assert "a bien été reçue" in response.text
    assert pothole.tracking_token not in response.text
    assert "/suivi/••••••" in response.text
