"""The local outbox page: staff only, linked in the navigation only when mail stays local."""

from typing import Any

import pytest
from django.urls import reverse

from parvis.notifications.models import Mail


@pytest.fixture
def staff_agent(catalog: None, make_agent: Any) -> Any:
    return make_agent("accueil", is_staff=True)


def test_staff_read_the_mail_kept_in_the_outbox(
    login: Any, staff_agent: Any, settings: Any
) -> None:
    settings.PARVIS_MAIL_SEND = False
    Mail.objects.create(to="camille@example.fr", subject="Votre demande 2026-00001", body="Bonjour")
    response = login(staff_agent).get(reverse("backoffice:outbox"))
    assert response.status_code == 200
    assert "Votre demande 2026-00001" in response.text
    assert "camille@example.fr" in response.text


def test_an_acknowledgement_kept_without_smtp_shows_up(
    login: Any, staff_agent: Any, settings: Any, make_ticket: Any, mailoutbox: Any
) -> None:
    settings.PARVIS_MAIL_SEND = False
    ticket = make_ticket("nid-de-poule")
    assert not mailoutbox, "nothing is sent without a mail server"
    response = login(staff_agent).get(reverse("backoffice:outbox"))
    assert f"Demande {ticket.reference} enregistrée" in response.text  # an unconfirmed address


def test_agents_who_are_not_staff_are_refused(login: Any, etat_civil_agent: Any) -> None:
    response = login(etat_civil_agent).get(reverse("backoffice:outbox"))
    assert response.status_code == 403
    assert "réservée aux administrateurs" in response.text


def test_bad_page_numbers_fall_back_to_a_valid_page(login: Any, staff_agent: Any) -> None:
    for page in ("abc", "-1", "99999", "1e3"):
        assert (
            login(staff_agent).get(reverse("backoffice:outbox"), {"page": page}).status_code == 200
        )


def test_the_nav_links_the_outbox_when_mail_stays_local(
    login: Any, staff_agent: Any, settings: Any
) -> None:
    settings.PARVIS_MAIL_SEND = False
    response = login(staff_agent).get(reverse("backoffice:queue"))
    assert reverse("backoffice:outbox") in response.text


def test_the_nav_hides_the_outbox_when_smtp_is_configured(
    login: Any, staff_agent: Any, settings: Any
) -> None:
    settings.PARVIS_MAIL_SEND = True
    response = login(staff_agent).get(reverse("backoffice:queue"))
    assert reverse("backoffice:outbox") not in response.text
