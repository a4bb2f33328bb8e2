"""What the portal's form refuses in a démarche's fields (numbers, conditional fields) and in
its own (the association's name), in French, with what was typed kept."""

from typing import Any

import pytest
from django.urls import reverse

from parvis.tickets.models import Ticket

pytestmark = pytest.mark.django_db

BIRTH_URL = reverse("portal:request_form", args=["acte-de-naissance"])
ROOM_URL = reverse("portal:request_form", args=["reservation-salle"])


@pytest.mark.parametrize(
    ("copies", "message"),
    [
        ("1.5", "Indiquez un nombre entier, sans virgule."),
        ("10", "Indiquez un nombre inférieur ou égal à 3."),
    ],
)
def test_three_copies_at_most_refuses_one_and_a_half_and_ten(
    client: Any, catalog: None, birth_form: Any, copies: str, message: str
) -> None:
    response = client.post(BIRTH_URL, birth_form(**{"f-copies": copies}))
    assert response.status_code == 400
    assert message in response.text
    assert f'value="{copies}"' in response.text  # what was typed stays
    assert not Ticket.objects.exists()


def _room_form(**overrides: Any) -> dict[str, Any]:
    data = {
        "name": "Camille Martin",
        "email": "camille@example.fr",
        "description": "Pour notre assemblée générale.",
        "consent": "on",
        "f-room": "salle-polyvalente",
        "f-event_date": "2026-06-20",
        "f-start_time": "18h00",
        "f-end_time": "22h00",
        "f-attendees": "40",
        "f-purpose": "assemblee-generale",
        "f-organizer_type": "association",
    }
    return {key: value for key, value in (data | overrides).items() if value is not None}


def test_the_organisation_is_required_when_an_association_books(client: Any, catalog: None) -> None:
    response = client.post(ROOM_URL, _room_form())
    assert response.status_code == 400
    assert "Ce champ est obligatoire." in response.text
    assert not Ticket.objects.exists()
    client.post(ROOM_URL, _room_form(**{"f-organization_name": "Les Amis du Parvis"}))
    assert Ticket.objects.get().field_values["organization_name"] == "Les Amis du Parvis"


def test_an_inhabitant_is_not_asked_for_an_organisation(client: Any, catalog: None) -> None:
    # Typed without JavaScript, which would have hidden the field: it does not apply.
    data = _room_form(**{"f-organizer_type": "habitant", "f-organization_name": "Sans objet"})
    assert client.post(ROOM_URL, data).status_code == 302
    assert "organization_name" not in Ticket.objects.get().field_values


def test_the_page_marks_the_conditional_field_for_the_script(client: Any, catalog: None) -> None:
    html = client.get(ROOM_URL).text
    assert 'data-shown-when="organizer_type"' in html
    assert "Obligatoire si « Vous réservez en tant que » vaut" in html
    assert 'data-shown-when="is_association"' in html
    assert "conditional-fields.js" in html


def test_ticking_association_requires_its_name(client: Any, catalog: None) -> None:
    url = reverse("portal:request_form", args=["question-generale"])
    data = {
        "name": "Camille Martin",
        "email": "camille@example.fr",
        "is_association": "on",
        "association_name": "",
        "description": "Une question.",
        "consent": "on",
    }
    response = client.post(url, data)
    assert response.status_code == 400
    assert "Indiquez le nom de l&#x27;association." in response.text
    assert not Ticket.objects.exists()


def test_the_subsidy_form_asks_the_association_name_once(client: Any, catalog: None) -> None:
    html = client.get(reverse("portal:request_form", args=["demande-subvention"])).text
    assert html.count("Nom de l&#x27;association") == 1
