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


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("salle des fetes", "reservation-salle"),
        ("naisance", "acte-de-naissance"),
        ("poubelles pas ramassées", "depot-sauvage"),
        ("RSA", "demande-aide-sociale"),
    ],
)
def test_everyday_words_typos_and_no_accents_find_the_demarche_first(
    client, catalog, query, expected
):
    response = client.get(reverse("portal:catalog"), {"q": query})
    assert response.context["results"][0].slug == expected


def test_the_results_page_reads_the_catalogue_once_then_no_query(
    client, catalog, django_assert_max_num_queries
):
    client.get(reverse("portal:catalog"), {"q": "naissance"})  # the process reads its copy
    with django_assert_max_num_queries(0):
        response = client.get(reverse("portal:catalog"), {"q": "chien perdu"})
    assert len(response.context["results"]) > 0


def test_suggestions_complete_the_word_being_typed(client, catalog):
    response = client.get(reverse("portal:catalog_suggestions"), {"q": "salle des fê"})
    assert response.status_code == 200
    slugs = [t.slug for t in response.context["suggestions"]]
    assert slugs[0] == "reservation-salle"
    assert len(slugs) <= 5
    html = response.content.decode()
    assert "Démarches suggérées" in html and "<html" not in html


def test_suggestions_wait_for_two_letters_and_say_when_nothing_comes(client, catalog):
    assert (
        client.get(reverse("portal:catalog_suggestions"), {"q": "s"}).context["suggestions"] == []
    )
    html = client.get(reverse("portal:catalog_suggestions"), {"q": "xylophone"}).content.decode()
    assert "Aucune démarche suggérée" in html


def test_suggestions_never_offer_an_internal_demarche(client, catalog):
    response = client.get(reverse("portal:catalog_suggestions"), {"q": "imprimante"})
    assert "panne-informatique" not in [t.slug for t in response.context["suggestions"]]


def test_a_demarche_edited_in_the_admin_is_found_by_its_new_search_words(
    client, catalog, django_capture_on_commit_callbacks
):
    from parvis.catalog.models import RequestType

    with django_capture_on_commit_callbacks(execute=True):
        RequestType.objects.filter(slug="espaces-verts").update(keywords="platane marronnier")
    response = client.get(reverse("portal:catalog"), {"q": "platanes"})
    assert response.context["results"][0].slug == "espaces-verts"
