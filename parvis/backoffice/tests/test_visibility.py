"""Who sees which ticket: service membership; confidential CCAS tickets and their access log."""

from typing import Any

import pytest
from django.urls import reverse

from parvis.accounts.models import User
from parvis.privacy.models import AccessLog
from parvis.tickets.models import Event, Ticket

ACTIONS = {
    "reply": {"body": "Bonjour"},
    "note": {"body": "Note"},
    "assign": {"me": "1"},
    "status": {"status": "resolved"},
    "transfer": {"service": "1", "reason": "Erreur"},
    "priority": {"priority": "4"},
}
# record_follow_up is open to every agent on non-confidential tickets: see test_follow_up.py.


@pytest.fixture
def superuser(db: None) -> User:
    return User.objects.create_superuser(username="admin", password="x", email="admin@mairie.test")


def test_an_etat_civil_agent_cannot_see_a_voirie_ticket(
    login: Any, etat_civil_agent: Any, pothole: Ticket
) -> None:
    response = login(etat_civil_agent).get(reverse("backoffice:ticket", args=[pothole.reference]))
    assert response.status_code == 404


def test_an_etat_civil_agent_does_not_find_it_in_the_queue(
    login: Any, etat_civil_agent: Any, pothole: Ticket, birth_certificate: Ticket
) -> None:
    response = login(etat_civil_agent).get(reverse("backoffice:queue"), {"view": "all"})
    assert birth_certificate.reference in response.text
    assert pothole.reference not in response.text


@pytest.mark.parametrize("name", ACTIONS)
def test_an_etat_civil_agent_cannot_act_on_a_voirie_ticket(
    login: Any, etat_civil_agent: Any, pothole: Ticket, name: str
) -> None:
    events_before = Event.objects.filter(ticket=pothole).count()
    response = login(etat_civil_agent).post(
        reverse(f"backoffice:{name}", args=[pothole.reference]), ACTIONS[name]
    )
    assert response.status_code == 404
    assert Event.objects.filter(ticket=pothole).count() == events_before


def test_an_agent_cannot_download_a_file_of_a_ticket_they_do_not_see(
    login: Any, etat_civil_agent: Any, pothole: Ticket
) -> None:
    from django.core.files.base import ContentFile

    attachment = pothole.attachments.create(
        file=ContentFile(b"%PDF-1.4", name="plan.pdf"),
        original_name="plan.pdf",
        content_type="application/pdf",
        size=8,
    )
    response = login(etat_civil_agent).get(reverse("backoffice:attachment", args=[attachment.pk]))
    assert response.status_code == 404


def test_a_superuser_without_membership_sees_ordinary_tickets(
    login: Any, superuser: User, pothole: Ticket
) -> None:
    response = login(superuser).get(reverse("backoffice:ticket", args=[pothole.reference]))
    assert response.status_code == 200


def test_a_superuser_without_membership_cannot_see_a_confidential_ccas_ticket(
    login: Any, superuser: User, social_aid: Ticket
) -> None:
    client = login(superuser)
    assert client.get(reverse("backoffice:ticket", args=[social_aid.reference])).status_code == 404
    assert social_aid.reference not in client.get(reverse("backoffice:queue"), {"view": "all"}).text
    refused = AccessLog.objects.get()  # the attempt on the ticket page; the queue showed none
    assert (refused.granted, list(refused.tickets.all())) == (False, [social_aid])


def test_the_ccas_agent_sees_it_and_each_reading_is_logged(
    login: Any, ccas_agent: Any, social_aid: Ticket
) -> None:
    client = login(ccas_agent)
    url = reverse("backoffice:ticket", args=[social_aid.reference])
    for expected_rows in (1, 2):
        response = client.get(url)
        assert response.status_code == 200
        assert "Confidentielle" in response.text
        assert (
            AccessLog.objects.filter(user=ccas_agent, tickets=social_aid).count() == expected_rows
        )


def test_the_queue_marks_confidential_tickets_and_logs_the_list(
    login: Any, ccas_agent: Any, social_aid: Ticket
) -> None:
    response = login(ccas_agent).get(reverse("backoffice:queue"))
    assert social_aid.reference in response.text
    assert "Confidentielle" in response.text
    log = AccessLog.objects.get()
    assert (log.context, list(log.tickets.all())) == ("queue", [social_aid])
