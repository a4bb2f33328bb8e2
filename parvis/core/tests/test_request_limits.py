"""Bodies over the limit are refused from their announced length, before a byte is read."""

import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from parvis.accounts.actions import api_token_issue
from parvis.tickets.models import Ticket

pytestmark = pytest.mark.django_db
MIB = 1024 * 1024


class _Unreadable(io.RawIOBase):
    """A request body that fails the test if more than ``allowed`` bytes of it are read."""

    def __init__(self, allowed: int = 0) -> None:
        self.allowed = allowed

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if len(buffer) > self.allowed:
            raise AssertionError("the body was read")
        self.allowed -= len(buffer)
        buffer[:] = b" " * len(buffer)
        return len(buffer)


def _post(client: Client, url: str, length: int, body: io.RawIOBase, **extra: Any) -> Any:
    return client.generic(
        "POST",
        url,
        content_type=extra.pop("content_type", "application/json"),
        CONTENT_LENGTH=str(length) if length else "",
        **{"wsgi.input": body},
        **extra,
    )


def test_a_200_mb_api_request_is_refused_unread_as_json(client: Client) -> None:
    response = _post(client, "/api/v1/tickets/", 200 * MIB, _Unreadable())

    assert response.status_code == 413
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "La requête est trop volumineuse : 1,0\xa0Mio au maximum."}


def test_the_api_limit_is_a_setting(client: Client, settings: Any) -> None:
    settings.PARVIS_API_MAX_BODY_BYTES = 10 * 1024

    response = _post(client, "/api/v1/tickets/", 10 * 1024 + 1, _Unreadable())

    assert response.status_code == 413
    assert response.json()["detail"] == "La requête est trop volumineuse : 10,0\xa0Kio au maximum."


def test_a_200_mb_form_is_refused_unread_with_a_french_page(client: Client, catalog: None) -> None:
    url = reverse("portal:request_form", args=["acte-de-naissance"])

    response = _post(
        client, url, 200 * MIB, _Unreadable(), content_type="multipart/form-data; boundary=x"
    )

    assert response.status_code == 413
    html = response.content.decode()
    assert "La requête est trop volumineuse : 60,0\xa0Mio au maximum." in html
    assert "10,0\xa0Mio par fichier et 60,0\xa0Mio en tout" in html
    assert "votre navigateur a gardé ce que vous avez saisi" in html
    assert not Ticket.objects.exists()


def test_a_body_within_the_limit_goes_on(client: Client, catalog: None) -> None:
    # The agents' login form: read, then refused for its content, not for its size.
    response = _post(
        client,
        reverse("backoffice:login"),
        100,
        _Unreadable(allowed=100),
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200


def test_a_body_without_a_length_is_never_read(
    client: Client, catalog: None, make_agent: Any
) -> None:
    # Chunked: no Content-Length. Django reads none of it: a JSON request arrives empty.
    token = api_token_issue(user=make_agent("etat-civil"))
    response = _post(
        client,
        "/api/v1/tickets/",
        0,
        _Unreadable(),
        HTTP_TRANSFER_ENCODING="chunked",
        HTTP_AUTHORIZATION=f"Token {token}",
    )

    assert response.status_code == 400
    assert response.json()["requester"] == ["Ce champ est obligatoire."]
