"""Who may call the API: agents with a valid token, and nobody else."""

import hashlib
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from parvis.accounts.actions import api_token_issue
from parvis.accounts.models import ApiToken, User

URL = reverse("api:ticket-list")

pytestmark = pytest.mark.django_db


def test_it_answers_401_in_french_without_a_token() -> None:
    response = APIClient().get(URL)

    assert response.status_code == 401
    assert response.json()["detail"].startswith("Authentification requise")
    assert response["WWW-Authenticate"] == "Token"


def test_it_answers_401_to_an_unknown_token() -> None:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef0123456789abcdef01234567")

    response = client.get(URL)

    assert response.status_code == 401
    assert response.json()["detail"] == "Jeton d'authentification non valide, ou compte désactivé."


def test_it_answers_401_to_a_malformed_authorization_header() -> None:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token")

    response = client.get(URL)

    assert response.status_code == 401
    assert "Jeton" in response.json()["detail"]


def test_it_answers_401_to_the_token_of_a_deactivated_agent(
    token_client: Callable[..., Any],
) -> None:
    client = token_client("etat-civil")
    User.objects.filter(pk=client.agent.pk).update(is_active=False)

    assert client.get(URL).status_code == 401


def test_it_answers_403_to_a_user_who_belongs_to_no_service(catalog: None) -> None:
    user = User.objects.create_user(username="visiteur", password="motdepasse-test")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_issue(user=user)}")

    response = client.get(URL)

    assert response.status_code == 403
    assert (
        response.json()["detail"] == "L'API est réservée aux agents membres d'au moins un service."
    )


def test_it_refuses_to_create_a_ticket_without_a_token(catalog: None) -> None:
    payload = {"subject": "Question", "requester": {"name": "Louis", "email": "louis@example.fr"}}

    response = APIClient().post(URL, payload, format="json")

    assert response.status_code == 401


def test_only_the_hash_of_a_key_is_stored(token_client: Callable[..., Any]) -> None:
    client = token_client("etat-civil")
    key = client._credentials["HTTP_AUTHORIZATION"].removeprefix("Token ")
    stored = ApiToken.objects.get(user=client.agent)

    assert stored.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key not in {stored.key_hash, stored.prefix} and key.startswith(stored.prefix)
    assert client.get(URL).status_code == 200


def test_a_key_that_only_matches_the_stored_hash_is_refused(
    token_client: Callable[..., Any],
) -> None:
    client = token_client("etat-civil")
    stolen = ApiToken.objects.get(user=client.agent).key_hash  # what a database copy reveals
    client.credentials(HTTP_AUTHORIZATION=f"Token {stolen}")

    assert client.get(URL).status_code == 401
