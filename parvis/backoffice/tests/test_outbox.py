"""The local outbox page: staff only, linked in the navigation only when mail stays local."""

from typing import Any

import pytest
from django.urls import reverse

from parvis.notifications.models import OutboxMessage

OUTBOX_MAILERS = {"default": {"BACKEND": "parvis.notifications.outbox.OutboxBackend"}}
SMTP_MAILERS = {"default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend"}}


@pytest.fixture
def staff_agent(catalog: None, make_agent: Any) -> Any:
    return make_agent("accueil", is_staff=True)


def test_staff_read_the_mail_kept_in_the_outbox(
    login: Any, staff_agent: Any, settings: Any
) -> None:
    settings.MAILERS = OUTBOX_MAILERS
    OutboxMessage.objects.create(
        to="camille@example.fr", subject="Votre demande 2026-00001", body="Bonjour"
    )
    response = login(staff_agent).get(reverse("backoffice:outbox"))
    assert response.status_code == 200
    assert "Votre demande 2026-00001" in response.text
    assert "camille@example.fr" in response.text


def test_mail_sent_through_the_outbox_backend_shows_up(
    login: Any, staff_agent: Any, settings: Any
) -> None:
    from django.core.mail import send_mail

    settings.MAILERS = OUTBOX_MAILERS
    send_mail("Accusé de réception", "Texte", None, ["dominique@example.fr"])
    response = login(staff_agent).get(reverse("backoffice:outbox"))
    assert "Accusé de réception" in response.text


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
    settings.MAILERS = OUTBOX_MAILERS
    response = login(staff_agent).get(reverse("backoffice:queue"))
    assert reverse("backoffice:outbox") in response.text


def test_the_nav_hides_the_outbox_when_smtp_is_configured(
    login: Any, staff_agent: Any, settings: Any
) -> None:
    settings.MAILERS = SMTP_MAILERS
    response = login(staff_agent).get(reverse("backoffice:queue"))
    assert reverse("backoffice:outbox") not in response.text
