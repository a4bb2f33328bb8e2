"""Searching among démarches, and the way out when nothing matches."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_it_finds_the_birth_certificate(client, catalog):
    response = client.get(reverse("portal:catalog"), {"q": "naissance"})
    assert response.status_code == 200
    html = response.content.decode()
    assert reverse("portal:request_form", args=["acte-de-naissance"]) in html
    assert "Résultats pour « naissance »" in html


def test_it_ignores_accents_and_case(client, catalog):
    html = client.get(reverse("portal:catalog"), {"q": "ÉCLAIRAGE"}).content.decode()
    assert reverse("portal:request_form", args=["eclairage-public"]) in html


def test_it_never_offers_an_internal_demarche(client, catalog):
    html = client.get(reverse("portal:catalog"), {"q": "informatique panne"}).content.decode()
    assert reverse("portal:request_form", args=["panne-informatique"]) not in html


def test_it_points_to_the_general_question_when_nothing_matches(client, catalog):
    response = client.get(reverse("portal:catalog"), {"q": "xylophone"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Aucune démarche ne correspond à « xylophone »" in html
    assert reverse("portal:request_form", args=["question-generale"]) in html


def test_it_lists_every_demarche_without_a_query(client, catalog):
    html = client.get(reverse("portal:catalog")).content.decode()
    assert "Toutes les démarches" in html
    assert reverse("portal:request_form", args=["reservation-salle"]) in html


def test_it_escapes_the_query(client, catalog):
    html = client.get(
        reverse("portal:catalog"), {"q": "<script>alert(1)</script>"}
    ).content.decode()
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;" in html
