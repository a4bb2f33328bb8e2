"""Logging in and out, and who may use the back office at all."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from parvis.accounts.models import User
from parvis.conftest import verified_login

LOGIN_URL = reverse("backoffice:login")
PASSWORD = "motdepasse-test"


def test_the_login_page_is_in_french(client: Client, db: None) -> None:
    response = client.get(LOGIN_URL)
    assert response.status_code == 200
    assert "Connexion à l'espace agents" in response.text
    assert "Identifiant" in response.text and "Mot de passe" in response.text


def test_an_agent_logs_in_and_lands_on_the_queue(client: Client, etat_civil_agent: Any) -> None:
    response = client.post(LOGIN_URL, {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("backoffice:queue")
    assert client.get(reverse("backoffice:queue")).status_code == 200


def test_login_follows_the_next_parameter(client: Client, etat_civil_agent: Any) -> None:
    target = reverse("backoffice:new_ticket")
    response = client.post(LOGIN_URL, {"username": "alice", "password": PASSWORD, "next": target})
    assert response["Location"] == target


def test_a_wrong_password_is_refused_with_a_french_message(
    client: Client, etat_civil_agent: Any
) -> None:
    response = client.post(LOGIN_URL, {"username": "alice", "password": "faux"})
    assert response.status_code == 200
    assert "Identifiant ou mot de passe incorrect" in response.text
    assert "_auth_user_id" not in client.session


def test_a_user_without_any_service_cannot_log_in_and_is_told_why(client: Client, db: None) -> None:
    User.objects.create_user(username="bob", password=PASSWORD)
    response = client.post(LOGIN_URL, {"username": "bob", "password": PASSWORD})
    assert response.status_code == 200
    assert "rattaché à aucun service" in response.text
    assert "_auth_user_id" not in client.session


def test_an_inactive_agent_cannot_log_in(client: Client, etat_civil_agent: Any) -> None:
    etat_civil_agent.is_active = False
    etat_civil_agent.save()
    response = client.post(LOGIN_URL, {"username": "alice", "password": PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_a_superuser_without_membership_may_log_in(client: Client, db: None) -> None:
    admin = User.objects.create_superuser(
        username="admin", password=PASSWORD, email="admin@mairie.test"
    )
    response = client.post(LOGIN_URL, {"username": "admin", "password": PASSWORD})
    assert response.status_code == 302
    # After the password, the second factor (test_two_factor.py); once given, the queue.
    assert response["Location"].startswith(reverse("backoffice:two_factor_verify"))
    assert verified_login(client, admin).get(reverse("backoffice:queue")).status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        reverse("backoffice:queue"),
        reverse("backoffice:ticket", args=["2026-00001"]),
        reverse("backoffice:new_ticket"),
        reverse("backoffice:type_fields") + "?request_type=1",
        reverse("backoffice:requester_search") + "?q=martin",
        reverse("backoffice:requester_fields") + "?requester=1",
        reverse("backoffice:attachment", args=[1]),
        reverse("backoffice:outbox"),
        reverse("backoffice:new_ticket_done", args=["2026-00001"]),
    ],
)
def test_every_page_sends_anonymous_visitors_to_the_login_page(
    client: Client, db: None, url: str
) -> None:
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN_URL + "?next=")


@pytest.mark.parametrize(
    "name", ["reply", "note", "assign", "status", "transfer", "priority", "record_follow_up"]
)
def test_every_action_sends_anonymous_visitors_to_the_login_page(
    client: Client, db: None, name: str
) -> None:
    response = client.post(reverse(f"backoffice:{name}", args=["2026-00001"]), {})
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN_URL)


def test_a_logged_in_user_without_any_service_sees_a_clear_refusal(
    client: Client, db: None
) -> None:
    user = User.objects.create_user(username="bob", password=PASSWORD, is_staff=True)
    client.force_login(user)
    response = client.get(reverse("backoffice:queue"))
    assert response.status_code == 403
    assert "rattaché à aucun service" in response.text
    assert "Déconnexion" in response.text
    assert reverse("backoffice:new_ticket") not in response.text


def test_an_inactive_session_user_is_refused(login: Any, etat_civil_agent: Any) -> None:
    client = login(etat_civil_agent)
    etat_civil_agent.is_active = False
    etat_civil_agent.save()
    response = client.get(reverse("backoffice:queue"))
    # Django's backend drops inactive users from the session: back to the login page.
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN_URL)


def test_logout_is_a_post_and_ends_the_session(login: Any, etat_civil_agent: Any) -> None:
    client = login(etat_civil_agent)
    assert client.get(reverse("backoffice:logout")).status_code == 405
    response = client.post(reverse("backoffice:logout"), follow=True)
    assert response.redirect_chain[-1][0] == LOGIN_URL
    assert "Vous êtes déconnecté(e)." in response.text
    assert client.get(reverse("backoffice:queue")).status_code == 302


def test_the_navigation_shows_the_agents_links_and_name(login: Any, etat_civil_agent: Any) -> None:
    response = login(etat_civil_agent).get(reverse("backoffice:queue"))
    text = response.text
    assert "Espace agents" in text
    assert reverse("backoffice:new_ticket") in text
    assert "Alice Durand" in text
    assert reverse("backoffice:logout") in text
    assert reverse("admin:index") not in text


def test_staff_see_the_administration_link(login: Any, make_agent: Any, catalog: None) -> None:
    staff = make_agent("accueil", is_staff=True)
    response = login(staff).get(reverse("backoffice:queue"))
    assert reverse("admin:index") in response.text


def test_an_htmx_request_after_the_session_expired_sends_the_whole_page_to_login(
    client: Client, db: None
) -> None:
    response = client.get(
        reverse("backoffice:queue"),
        {"q": "x"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL="http://testserver/agents/?q=x",
    )
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith(LOGIN_URL + "?next=")
