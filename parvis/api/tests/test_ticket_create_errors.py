"""POST /api/v1/tickets/ with bad input: a 400 with French messages, and no ticket."""

from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse

from parvis.catalog.models import RequestType
from parvis.tickets.models import Ticket

URL = reverse("api:ticket-list")

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(token_client: Callable[..., Any]) -> Any:
    return token_client("accueil")


def _dig(body: Any, path: tuple[str, ...]) -> list[str]:
    for key in path:
        body = body[key]
    return body if isinstance(body, list) else [body]


def _fields(**fields: Any) -> Callable[[dict[str, Any]], None]:
    def change(payload: dict[str, Any]) -> None:
        payload["fields"].update(fields)

    return change


def _set(key: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def change(payload: dict[str, Any]) -> None:
        payload[key] = value

    return change


def _requester(**values: Any) -> Callable[[dict[str, Any]], None]:
    def change(payload: dict[str, Any]) -> None:
        payload["requester"].update(values)
        payload["requester"] = {k: v for k, v in payload["requester"].items() if v is not None}

    return change


def _drop(key: str, inside: str = "") -> Callable[[dict[str, Any]], None]:
    def change(payload: dict[str, Any]) -> None:
        (payload[inside] if inside else payload).pop(key)

    return change


BAD_PAYLOADS = {
    "an invalid date in a field": (
        _fields(birth_date="le 12 mai"),
        ("fields", "birth_date"),
        "Saisissez une date valide.",
    ),
    "a missing required field": (
        _drop("copy_type", inside="fields"),
        ("fields", "copy_type"),
        "Ce champ est obligatoire.",
    ),
    "a choice the démarche does not offer": (
        _fields(copy_type="original"),
        ("fields", "copy_type"),
        "Sélectionnez un choix valide",
    ),
    "a field the démarche does not have": (
        _fields(shoe_size=42),
        ("fields", "shoe_size"),
        "n'existe pas dans la démarche",
    ),
    "a field value that is an object": (
        _fields(birth_date={"day": 12}),
        ("fields", "birth_date"),
        "Valeur non valide",
    ),
    "fields given as a list": (_set("fields", ["Martin"]), ("fields",), "dictionnaire"),
    "an unknown démarche": (
        _set("request_type", "permis-de-chasse"),
        ("request_type",),
        "Démarche inconnue : « permis-de-chasse ».",
    ),
    "a requester given as a string": (
        _set("requester", "Camille Martin"),
        ("requester", "non_field_errors"),
        "Donnée non valide",
    ),
    "no requester": (_drop("requester"), ("requester",), "Ce champ est obligatoire."),
    "a requester without a name": (
        _requester(name=None),
        ("requester", "name"),
        "Ce champ est obligatoire.",
    ),
    "a requester with a blank name": (
        _requester(name=""),
        ("requester", "name"),
        "Ce champ ne peut être vide.",
    ),
    "a requester with neither email nor phone": (
        _requester(email="", phone=""),
        ("requester", "non_field_errors"),
        "Indiquez un courriel ou un téléphone",
    ),
    "an invalid email": (
        _requester(email="camille-at-example"),
        ("requester", "email"),
        "adresse e-mail valide",
    ),
    "an invalid phone": (
        _requester(phone="appelez-moi"),
        ("requester", "phone"),
        "numéro de téléphone valide",
    ),
    "a latitude out of range": (
        _set("location", {"lat": 91, "lon": 2.35}),
        ("location", "lat"),
        "inférieure ou égale à",
    ),
    "a longitude out of range": (
        _set("location", {"lat": 48.85, "lon": -181}),
        ("location", "lon"),
        "supérieure ou égale à",
    ),
    "a latitude without longitude": (
        _set("location", {"lat": 48.85}),
        ("location", "non_field_errors"),
        "latitude et la longitude ensemble",
    ),
    "a latitude that is not a number": (
        _set("location", {"lat": "nord", "lon": 2.35}),
        ("location", "lat"),
        "nombre valide",
    ),
    "an unknown priority": (
        _set("priority", "critical"),
        ("priority",),
        "n'est pas un choix valide",
    ),
    "a subject too long": (_set("subject", "x" * 201), ("subject",), "au plus 200\xa0caractères"),
    "a NUL character in the subject": (
        _set("subject", "Acte\x00"),
        ("subject",),
        "Le caractère nul",
    ),
    "a description that is not text": (_set("description", ["a"]), ("description",), "invalide"),
}


@pytest.mark.parametrize("case", BAD_PAYLOADS.keys())
def test_it_refuses_a_bad_payload_in_french(
    client: Any, birth_payload: Callable[..., dict[str, Any]], case: str
) -> None:
    change, path, message = BAD_PAYLOADS[case]
    payload = birth_payload()
    change(payload)

    response = client.post(URL, payload, format="json")

    assert response.status_code == 400, response.content
    messages = _dig(response.json(), path)
    assert any(message in str(text) for text in messages), response.json()
    assert not Ticket.objects.exists()


def test_it_refuses_fields_without_a_demarche(client: Any) -> None:
    payload = {
        "subject": "Acte",
        "requester": {"name": "Camille", "email": "c@example.fr"},
        "fields": {"birth_date": "1990-05-12"},
    }

    response = client.post(URL, payload, format="json")

    assert response.status_code == 400
    assert "qu'avec une démarche" in response.json()["fields"][0]
    assert not Ticket.objects.exists()


def test_it_requires_a_subject_without_a_demarche(client: Any) -> None:
    payload = {"requester": {"name": "Camille", "email": "c@example.fr"}, "description": "Bonjour"}

    response = client.post(URL, payload, format="json")

    assert response.status_code == 400
    assert response.json()["subject"] == ["Indiquez l'objet de la demande (ou une démarche)."]


def test_it_treats_an_inactive_demarche_as_unknown(
    client: Any, birth_payload: Callable[..., dict[str, Any]]
) -> None:
    RequestType.objects.filter(slug="acte-de-naissance").update(is_active=False)

    response = client.post(URL, birth_payload(), format="json")

    assert response.status_code == 400
    assert response.json()["request_type"] == ["Démarche inconnue : « acte-de-naissance »."]


BAD_BODIES = {
    "malformed JSON": (b'{"subject": "Acte",', "JSON mal formé (ligne 1, colonne 20)."),
    "a body that is not UTF-8": ('{"subject": "é"}'.encode("latin-1"), "UTF-8"),
    "NaN": (b'{"location": {"lat": NaN, "lon": 1}}', "JSON non valide"),
    "absurd nesting": (b"[" * 100_000 + b"]" * 100_000, "JSON non valide"),
    "a lone surrogate": (b'{"subject": "\\ud800"}', "caractères non valides"),
    "an integer too long to read": (b'{"priority": ' + b"9" * 5000 + b"}", "JSON non valide"),
}


@pytest.mark.parametrize("case", BAD_BODIES.keys())
def test_it_refuses_an_unreadable_body_in_french(client: Any, case: str) -> None:
    body, message = BAD_BODIES[case]

    response = client.post(URL, body, content_type="application/json")

    assert response.status_code == 400, response.content
    assert message in response.json()["detail"]
    assert not Ticket.objects.exists()


def test_it_refuses_a_body_that_is_not_an_object(client: Any) -> None:
    response = client.post(URL, b'["Acte de naissance"]', content_type="application/json")

    assert response.status_code == 400
    assert "Attendait un dictionnaire" in response.json()["non_field_errors"][0]


def test_it_refuses_an_empty_body_with_the_missing_fields(client: Any) -> None:
    response = client.post(URL, b"", content_type="application/json")

    assert response.status_code == 400
    assert response.json()["requester"] == ["Ce champ est obligatoire."]


def test_it_refuses_a_huge_payload(
    client: Any, birth_payload: Callable[..., dict[str, Any]]
) -> None:
    response = client.post(URL, birth_payload(description="x" * 2_000_000), format="json")

    assert response.status_code == 413
    assert response.json()["detail"] == "La requête est trop volumineuse : 1,0\xa0Mio au maximum."
    assert not Ticket.objects.exists()


def test_it_refuses_too_many_fields(
    client: Any, birth_payload: Callable[..., dict[str, Any]]
) -> None:
    payload = birth_payload()
    payload["fields"] = {f"field{n}": "x" for n in range(101)}

    response = client.post(URL, payload, format="json")

    assert response.status_code == 400
    assert response.json()["fields"] == ["Trop de champs (100 au maximum)."]


def test_it_refuses_a_form_encoded_body(client: Any) -> None:
    response = client.post(URL, {"subject": "Acte"})

    assert response.status_code == 415
    assert "non supporté" in response.json()["detail"]
