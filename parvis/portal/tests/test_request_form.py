"""Filing a request through a démarche's form: the page, and what a valid submission creates."""

import pytest
from django.urls import reverse

from parvis.accounts.models import Requester
from parvis.catalog.models import RequestType
from parvis.tickets.models import Attachment, Channel, Ticket

pytestmark = pytest.mark.django_db

BIRTH_URL = reverse("portal:request_form", args=["acte-de-naissance"])


def test_it_shows_the_form_of_the_demarche(client, catalog):
    response = client.get(BIRTH_URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert "Demande d&#x27;acte de naissance" in html
    assert 'value="Demande d&#x27;acte de naissance"' in html  # subject prefilled
    assert "Décrivez votre demande" in html
    assert "Je représente une association" in html
    assert 'name="f-birth_date"' in html and 'type="date"' in html
    assert '<label for="id_f-birth_last_name">' in html
    assert 'type="file" name="attachments"' in html and "multiple" in html
    assert 'enctype="multipart/form-data"' in html
    assert "sont obligatoires" in html
    assert 'name="consent"' in html


def test_it_files_a_ticket_and_redirects_to_the_tracking_page(client, catalog, birth_form):
    response = client.post(BIRTH_URL, birth_form())
    ticket = Ticket.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:track", args=[ticket.tracking_token])
    assert ticket.channel == Channel.WEB
    assert ticket.request_type.slug == "acte-de-naissance"
    assert ticket.service.slug == "etat-civil"
    assert ticket.subject == "Demande d'acte de naissance"
    assert ticket.description == "Pour un dossier de mariage."
    assert ticket.field_values == {
        "birth_last_name": "Martin",
        "first_names": "Camille Jeanne",
        "birth_date": "1990-05-12",
        "birth_place": "Ma commune",
        "copy_type": "copie-integrale",
        "requester_relation": "titulaire",
        "copies": 1,
        "delivery_mode": "retrait-mairie",
    }
    assert ticket.requester.name == "Camille Martin"
    assert ticket.requester.email == "camille@example.fr"


def test_it_keeps_the_subject_typed(client, catalog, birth_form):
    client.post(BIRTH_URL, birth_form(subject="Acte pour mon fils"))
    assert Ticket.objects.get().subject == "Acte pour mon fils"


def test_it_accepts_a_phone_without_email(client, catalog, birth_form):
    response = client.post(BIRTH_URL, birth_form(email="", phone="06 12 34 56 78"))
    assert response.status_code == 302
    assert Ticket.objects.get().requester.phone == "06 12 34 56 78"


def test_it_records_an_association(client, catalog, birth_form):
    client.post(
        reverse("portal:request_form", args=["question-generale"]),
        {
            "name": "Camille Martin",
            "email": "asso@example.fr",
            "is_association": "on",
            "association_name": "Les Amis du Parvis",
            "description": "Une question.",
            "consent": "on",
        },
    )
    requester = Requester.objects.get()
    assert requester.kind == Requester.Kind.ASSOCIATION
    assert requester.name == "Les Amis du Parvis (représentée par Camille Martin)"


def test_it_stores_general_attachments(client, catalog, birth_form, png):
    client.post(BIRTH_URL, birth_form(attachments=[png("a.png"), png("b.png")]))
    ticket = Ticket.objects.get()
    assert sorted(a.original_name for a in ticket.attachments.all()) == ["a.png", "b.png"]
    assert all(a.field_key == "" for a in ticket.attachments.all())


def test_it_stores_a_file_field_under_its_key(client, catalog, png):
    response = client.post(
        reverse("portal:request_form", args=["nid-de-poule"]),
        {
            "name": "Camille Martin",
            "email": "camille@example.fr",
            "consent": "on",
            "f-location": "12 rue Victor Hugo",
            "f-surface_type": _first_choice("nid-de-poule", "surface_type"),
            "f-hazard_level": _first_choice("nid-de-poule", "hazard_level"),
            "f-photo": png("trou.png"),
        },
    )
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.field_key == "photo"
    assert attachment.original_name == "trou.png"
    assert attachment.content_type == "image/png"
    assert Ticket.objects.get().location_address == "12 rue Victor Hugo"


def test_it_returns_404_for_an_unknown_demarche(client, catalog):
    assert client.get(reverse("portal:request_form", args=["nexiste-pas"])).status_code == 404


def test_it_returns_404_for_an_internal_demarche(client, catalog):
    url = reverse("portal:request_form", args=["panne-informatique"])
    assert client.get(url).status_code == 404
    assert client.post(url, {"name": "X"}).status_code == 404
    assert not Ticket.objects.exists()


def test_it_returns_404_for_an_inactive_demarche(client, catalog):
    RequestType.objects.filter(slug="acte-de-naissance").update(is_active=False)
    assert client.get(BIRTH_URL).status_code == 404


def test_an_association_name_alone_means_an_association(client, catalog):
    client.post(
        reverse("portal:request_form", args=["question-generale"]),
        {
            "name": "Camille Martin",
            "email": "asso@example.fr",
            "association_name": "Les Amis",
            "description": "Une question.",
            "consent": "on",
        },
    )
    assert Requester.objects.get().kind == Requester.Kind.ASSOCIATION


def _first_choice(slug: str, key: str) -> str:
    field = RequestType.objects.get(slug=slug).fields.get(key=key)
    return field.choice_pairs()[0][0]
