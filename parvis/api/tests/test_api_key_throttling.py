"""Guessing API keys: after a few refused keys from one address, 429 (JSON, French, with
Retry-After) until the window ends, whatever key that address sends."""

from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

URL = reverse("api:ticket-list")
WRONG = "Token 0123456789abcdef0123456789abcdef01234567"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _small_limit(settings: Any) -> None:
    settings.PARVIS_API_KEY_FAILURE_LIMIT = 3
    settings.PARVIS_API_KEY_FAILURE_WINDOW = 600


def _client(address: str, authorization: str) -> APIClient:
    client = APIClient(REMOTE_ADDR=address)
    client.credentials(HTTP_AUTHORIZATION=authorization)
    return client


def test_refused_keys_are_throttled_per_address_with_retry_after() -> None:
    guesser = _client("192.0.2.10", WRONG)

    statuses = [guesser.get(URL).status_code for _ in range(3)]
    response = guesser.get(URL)

    assert statuses == [401, 401, 401]
    assert response.status_code == 429
    assert response["Content-Type"].startswith("application/json")
    assert 0 < int(response["Retry-After"]) <= 600
    detail = response.json()["detail"]
    assert detail.startswith("Trop de jetons refusés depuis votre adresse. Réessayez dans")


def test_a_valid_key_from_the_guessing_address_waits_too(
    token_client: Callable[..., Any],
) -> None:
    key = token_client("etat-civil")._credentials["HTTP_AUTHORIZATION"]
    for _ in range(3):
        _client("192.0.2.10", WRONG).get(URL)

    assert _client("192.0.2.10", key).get(URL).status_code == 429
    assert _client("192.0.2.11", key).get(URL).status_code == 200


def test_valid_keys_and_requests_without_a_key_are_not_counted(
    token_client: Callable[..., Any],
) -> None:
    key = token_client("etat-civil")._credentials["HTTP_AUTHORIZATION"]
    for _ in range(5):
        assert _client("192.0.2.10", key).get(URL).status_code == 200
        assert APIClient(REMOTE_ADDR="192.0.2.10").get(URL).status_code == 401

    assert _client("192.0.2.10", WRONG).get(URL).status_code == 401


def test_behind_a_proxy_the_client_address_is_counted(settings: Any) -> None:
    settings.PARVIS_TRUSTED_PROXIES = 1
    for index in range(3):
        client = _client("10.0.0.1", WRONG)
        assert client.get(URL, HTTP_X_FORWARDED_FOR=f"198.51.100.{index}").status_code == 401

    assert (
        _client("10.0.0.1", WRONG).get(URL, HTTP_X_FORWARDED_FOR="198.51.100.0").status_code == 401
    )
