"""Fixtures for the API's tests: token-authenticated clients and a valid creation payload."""

from collections.abc import Callable
from typing import Any

import pytest
from rest_framework.test import APIClient

from parvis.accounts.actions import api_token_issue


@pytest.fixture
def token_client(catalog: None, make_agent: Callable[..., Any]) -> Callable[..., APIClient]:
    """token_client("etat-civil") → an APIClient authenticated with the token of a new agent
    of those services; the agent is on ``client.agent``."""

    def make(*service_slugs: str, **agent_extra: Any) -> APIClient:
        agent = make_agent(*service_slugs, **agent_extra)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_issue(user=agent)}")
        client.agent = agent  # type: ignore[attr-defined]
        return client

    return make


@pytest.fixture
def birth_payload() -> Callable[..., dict[str, Any]]:
    """birth_payload(**overrides) → a valid JSON body for a birth-certificate request."""

    def make(**overrides: Any) -> dict[str, Any]:
        payload: dict[str, Any] = {
            "request_type": "acte-de-naissance",
            "subject": "Acte de naissance pour un mariage",
            "description": "Bonjour, il me faut une copie intégrale.",
            "requester": {"name": "Camille Martin", "email": "camille@example.fr", "phone": ""},
            "fields": {
                "birth_last_name": "Martin",
                "first_names": "Camille Jeanne",
                "birth_date": "1990-05-12",
                "birth_place": "Ma commune",
                "copy_type": "copie-integrale",
                "requester_relation": "titulaire",
                "copies": 1,
                "delivery_mode": "retrait-mairie",
            },
        }
        payload.update(overrides)
        return payload

    return make
