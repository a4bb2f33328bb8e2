"""One request form makes one ticket: a double click, a reload or a retry creates no other."""

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from parvis.intake.models import IdempotencyKey
from parvis.portal.tests.conftest import png_bytes
from parvis.testing.locks import counter_lock_at_each_creation
from parvis.tickets.models import Attachment, Ticket

pytestmark = pytest.mark.django_db

BIRTH_URL = reverse("portal:request_form", args=["acte-de-naissance"])
TOKEN_INPUT = re.compile(r'<input type="hidden" name="submission_token" value="([^"]+)"')


def _token(html: str) -> str:
    found = TOKEN_INPUT.search(html)
    assert found, "the form carries no submission token"
    return found.group(1)


@pytest.fixture
def shown_form(client: Any, catalog: None, birth_form: Callable[..., dict[str, Any]]) -> Any:
    """shown_form(**overrides) → the POST data of the form as the page gave it, token included."""
    token = _token(client.get(BIRTH_URL).content.decode())

    def make(**overrides: Any) -> dict[str, Any]:
        return birth_form(submission_token=token, **overrides)

    return make


def test_each_form_shown_carries_its_own_token(client: Any, catalog: None) -> None:
    first = _token(client.get(BIRTH_URL).content.decode())
    second = _token(client.get(BIRTH_URL).content.decode())

    assert first != second
    assert len(first) == 32


def test_a_form_sent_twice_makes_one_ticket_and_shows_it(
    client: Any, shown_form: Callable[..., dict[str, Any]]
) -> None:
    first = client.post(BIRTH_URL, shown_form())
    second = client.post(BIRTH_URL, shown_form())

    ticket = Ticket.objects.get()
    tracking_page = reverse("portal:track", args=[ticket.tracking_token])
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == tracking_page
    page = client.get(tracking_page).content.decode()
    assert ticket.reference in page
    assert "déjà été envoyée" not in page


def test_a_form_sent_twice_with_its_files_stores_them_once(
    client: Any, shown_form: Callable[..., dict[str, Any]]
) -> None:
    def with_photo() -> dict[str, Any]:
        photo = SimpleUploadedFile("photo.png", png_bytes(), content_type="image/png")
        return shown_form(attachments=[photo])

    client.post(BIRTH_URL, with_photo())
    client.post(BIRTH_URL, with_photo())

    assert Ticket.objects.count() == 1
    assert Attachment.objects.count() == 1


def test_a_form_changed_and_sent_again_shows_the_first_ticket_and_says_so(
    client: Any, shown_form: Callable[..., dict[str, Any]]
) -> None:
    client.post(BIRTH_URL, shown_form())
    again = client.post(BIRTH_URL, shown_form(description="Finalement, deux copies."), follow=True)

    ticket = Ticket.objects.get()
    assert ticket.description == "Pour un dossier de mariage."
    assert again.redirect_chain[-1][0] == reverse("portal:track", args=[ticket.tracking_token])
    assert "Cette demande avait déjà été envoyée" in again.content.decode()


def test_a_form_refused_then_corrected_makes_one_ticket(
    client: Any, shown_form: Callable[..., dict[str, Any]]
) -> None:
    refused = client.post(BIRTH_URL, shown_form(consent=None))
    assert refused.status_code == 400
    token = _token(refused.content.decode())  # shown again with the same token
    assert token == shown_form()["submission_token"]
    assert not IdempotencyKey.objects.exists()

    client.post(BIRTH_URL, shown_form())
    client.post(BIRTH_URL, shown_form())

    assert Ticket.objects.count() == 1


@pytest.mark.parametrize("token", [None, "pas-un-jeton-de-parvis"])
def test_a_form_without_a_token_of_ours_still_files_each_time(
    client: Any, catalog: None, birth_form: Callable[..., dict[str, Any]], token: str | None
) -> None:
    client.post(BIRTH_URL, birth_form(submission_token=token))
    # Another matter: the same one again would be a follow-up of the first.
    other = "Mon fils part étudier au Canada, il lui faut une copie."
    client.post(BIRTH_URL, birth_form(submission_token=token, description=other))

    assert Ticket.objects.count() == 2
    assert not IdempotencyKey.objects.exists()


def test_the_form_asks_the_browser_to_send_it_once(client: Any, catalog: None) -> None:
    html = client.get(BIRTH_URL).content.decode()

    assert "data-submit-once" in html
    assert "<script>" not in html  # the behaviour lives in portal.js (strict CSP)


@pytest.mark.django_db(transaction=True)
def test_a_form_with_its_token_does_not_hold_the_tracking_number_counter(
    client: Any, shown_form: Callable[..., dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The number is drawn before the token's transaction: other creations never wait for it."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer at a time: there is no row lock to hold")
    seen = counter_lock_at_each_creation(monkeypatch)
    response = client.post(BIRTH_URL, shown_form())

    assert response.status_code == 302
    assert seen == [False]
