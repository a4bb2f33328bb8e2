"""Bad input on a démarche's form: a clear French message, the form back filled, no ticket."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from parvis.tickets.models import Ticket

pytestmark = pytest.mark.django_db

BIRTH_URL = reverse("portal:request_form", args=["acte-de-naissance"])


def _refused(client, data):
    response = client.post(BIRTH_URL, data)
    assert response.status_code == 400
    assert not Ticket.objects.exists()
    return response.content.decode()


def test_it_requires_a_name(client, catalog, birth_form):
    html = _refused(client, birth_form(name=""))
    assert 'href="#id_name"' in html
    assert "Ce champ est obligatoire." in html
    assert re.search(r'<input[^>]*name="name"[^>]*aria-invalid="true"', html)
    assert re.search(r'<input[^>]*name="name"[^>]*aria-describedby="id_name_error"', html)
    assert 'id="id_name_error"' in html


def test_it_requires_an_email_or_a_phone(client, catalog, birth_form):
    html = _refused(client, birth_form(email="", phone=""))
    assert "Indiquez une adresse électronique ou un numéro de téléphone" in html
    assert 'href="#id_email"' in html


def test_it_refuses_an_invalid_email(client, catalog, birth_form):
    html = _refused(client, birth_form(email="camille@"))
    assert "Saisissez une adresse e-mail valide." in html or "adresse électronique valide" in html
    assert 'value="camille@"' in html


def test_it_refuses_an_invalid_phone(client, catalog, birth_form):
    html = _refused(client, birth_form(email="", phone="appelez-moi"))
    assert "Saisissez un numéro de téléphone valide" in html


def test_it_refuses_an_invalid_date(client, catalog, birth_form):
    html = _refused(client, birth_form(**{"f-birth_date": "31/02/1990"}))
    assert 'href="#id_f-birth_date"' in html
    assert "Saisissez une date valide." in html


def test_it_refuses_a_choice_outside_the_list(client, catalog, birth_form):
    html = _refused(client, birth_form(**{"f-copy_type": "copie-pirate"}))
    assert 'href="#id_f-copy_type"' in html
    assert "Sélectionnez un choix valide" in html


def test_it_requires_the_demarche_required_fields(client, catalog, birth_form):
    html = _refused(client, birth_form(**{"f-birth_place": "", "f-copies": ""}))
    assert 'href="#id_f-birth_place"' in html
    assert 'href="#id_f-copies"' in html
    assert "Le formulaire contient 2 erreurs" in html


def test_it_requires_a_description_when_the_demarche_asks_nothing_else(client, catalog):
    url = reverse("portal:request_form", args=["question-generale"])
    response = client.post(url, {"name": "Camille", "email": "c@example.fr", "consent": "on"})
    assert response.status_code == 400
    assert 'href="#id_description"' in response.content.decode()


def test_it_requires_the_consent(client, catalog, birth_form):
    html = _refused(client, birth_form(consent=None))
    assert '<a href="#id_consent">Cochez cette case pour envoyer votre demande.</a>' in html


def test_it_gives_the_form_back_filled(client, catalog, birth_form):
    html = _refused(client, birth_form(name="", subject="Mon objet", **{"f-birth_place": "Lyon"}))
    assert 'value="Mon objet"' in html
    assert 'value="Lyon"' in html
    assert 'value="camille@example.fr"' in html
    assert "Pour un dossier de mariage.</textarea>" in html
    assert '<option value="copie-integrale" selected>' in html
    assert "<title>Erreur" in html


def test_it_maps_a_domain_validation_error_to_the_field(client, catalog, birth_form, monkeypatch):
    def refuse(**kwargs):
        raise ValidationError({"copies": ["Trois exemplaires au plus."], "other": ["Autre souci."]})

    monkeypatch.setattr("parvis.intake.web.intake_submit", refuse)
    html = _refused(client, birth_form(**{"f-copies": "9"}))
    assert 'href="#id_f-copies">Nombre d&#x27;exemplaires : Trois exemplaires au plus.</a>' in html
    assert "Autre souci." in html


def test_it_shows_a_domain_error_without_field(client, catalog, birth_form, monkeypatch):
    def refuse(**kwargs):
        raise ValidationError("Le service est momentanément indisponible.")

    monkeypatch.setattr("parvis.intake.web.intake_submit", refuse)
    html = _refused(client, birth_form())
    assert "Le service est momentanément indisponible." in html
