"""Finding one's request again: one answer for all, the link by email, attempts limited."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

URL = reverse("portal:track_lookup")
SENT = (
    "Si une demande correspond à ce numéro et à cette adresse, un lien de suivi vient de vous "
    "être envoyé par courriel."
)


def _without_csrf(html):
    # CSRF tokens are masked anew on every page, and each response has its own CSP nonce.
    return re.sub(r'[A-Za-z0-9]{64}|nonce="[^"]*"', "", html)


def test_it_shows_the_form(client, catalog):
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<label for="id_reference">' in html
    assert '<label for="id_email">' in html
    assert html.count("<h1") == 1


def test_it_emails_the_tracking_link_when_the_pair_matches(
    client, make_ticket, mailoutbox, django_capture_on_commit_callbacks
):
    ticket = make_ticket("acte-de-naissance")
    mailoutbox.clear()  # its acknowledgement
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            URL, {"reference": ticket.reference.lower(), "email": "CAMILLE@example.fr"}, follow=True
        )
    assert SENT in response.content.decode()
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["camille@example.fr"]
    assert mail.subject.startswith(
        f"[Ma commune] Lien de suivi de votre demande {ticket.reference}"
    )
    assert f"/suivi/{ticket.tracking_token}/" in mail.body


def test_it_answers_the_same_when_nothing_matches(
    client, make_ticket, mailoutbox, django_capture_on_commit_callbacks
):
    ticket = make_ticket("acte-de-naissance")
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        hit = client.post(URL, {"reference": ticket.reference, "email": "camille@example.fr"})
        miss = client.post(URL, {"reference": ticket.reference, "email": "intrus@example.fr"})
        unknown = client.post(URL, {"reference": "2026-99999", "email": "camille@example.fr"})
    assert len(mailoutbox) == 1
    assert hit.status_code == miss.status_code == unknown.status_code == 302
    assert hit["Location"] == miss["Location"] == unknown["Location"] == URL
    client.get(URL)  # shows (and consumes) the three answers
    plain = _without_csrf(client.get(URL).content.decode())
    client.post(URL, {"reference": "2026-99998", "email": "x@example.fr"})
    after_miss = _without_csrf(client.get(URL).content.decode())
    client.post(URL, {"reference": ticket.reference, "email": "camille@example.fr"})
    after_hit = _without_csrf(client.get(URL).content.decode())
    assert SENT in after_miss
    assert after_hit == after_miss
    assert plain != after_miss


def test_it_refuses_an_invalid_email(client, catalog):
    response = client.post(URL, {"reference": "2026-00001", "email": "pas-une-adresse"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'href="#id_email"' in html
    assert 'value="2026-00001"' in html


def test_it_limits_attempts_per_client(
    client, make_ticket, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.PARVIS_TRACKING_LOOKUP_LIMIT = 3
    settings.PARVIS_TRACKING_LOOKUP_WINDOW = 600
    ticket = make_ticket("acte-de-naissance")
    mailoutbox.clear()
    for number in range(3):
        assert (
            client.post(
                URL, {"reference": f"2026-0000{number}", "email": "x@example.fr"}
            ).status_code
            == 302
        )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, {"reference": ticket.reference, "email": "camille@example.fr"})
    assert response.status_code == 429
    html = response.content.decode()
    assert "Trop de tentatives" in html
    assert "réessayez dans 10 minutes" in html
    assert f'value="{ticket.reference}"' in html
    assert 'value="camille@example.fr"' in html
    assert mailoutbox == []


def test_the_limit_is_per_client_address(client, catalog, settings):
    settings.PARVIS_TRACKING_LOOKUP_LIMIT = 1
    data = {"reference": "2026-00001", "email": "x@example.fr"}
    assert client.post(URL, data, REMOTE_ADDR="10.0.0.1").status_code == 302
    assert client.post(URL, data, REMOTE_ADDR="10.0.0.1").status_code == 429
    assert client.post(URL, data, REMOTE_ADDR="10.0.0.2").status_code == 302


def test_behind_a_proxy_the_limit_is_per_forwarded_client(client, catalog, settings):
    settings.PARVIS_TRACKING_LOOKUP_LIMIT = 1
    settings.PARVIS_TRUSTED_PROXIES = 1
    data = {"reference": "2026-99999", "email": "camille@example.fr"}
    proxy = {"REMOTE_ADDR": "127.0.0.1"}  # nginx on the same machine, for every citizen

    def post(forwarded):
        return client.post(URL, data, HTTP_X_FORWARDED_FOR=forwarded, **proxy).status_code

    assert post("203.0.113.7") == 302
    assert post("203.0.113.7") == 429
    assert post("198.51.100.4") == 302  # another citizen, through the same proxy
    # A client cannot choose its address: what it wrote comes before what nginx appended.
    assert post("192.0.2.99, 203.0.113.7") == 429


def test_without_a_trusted_proxy_x_forwarded_for_is_ignored(client, catalog, settings):
    settings.PARVIS_TRACKING_LOOKUP_LIMIT = 1
    data = {"reference": "2026-99999", "email": "camille@example.fr"}
    assert client.post(URL, data, HTTP_X_FORWARDED_FOR="192.0.2.1").status_code == 302
    assert client.post(URL, data, HTTP_X_FORWARDED_FOR="192.0.2.2").status_code == 429
