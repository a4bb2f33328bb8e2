"""A public-space démarche's radius and window: shipped by the catalogue, checked when read,
edited by an administrator, refused where they make no sense."""

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from parvis.catalog.data import catalog_from_document, default_catalog
from parvis.catalog.models import RequestType
from parvis.catalog.tests.test_catalog_data import _document, _refusal

PUBLIC_SPACE = {
    "nid-de-poule": (50, 30),
    "eclairage-public": (30, 30),
    "depot-sauvage": (50, 15),
    "graffiti": (50, 60),
    "espaces-verts": (50, 30),
    "stationnement-genant": (30, 7),
}


def _located() -> dict[str, Any]:
    document = _document()
    document["request_types"][0]["fields"].append(
        {"key": "place", "label": "Emplacement", "kind": "location"}
    )
    document["request_types"][0]["nearby"] = {"radius_m": 50, "window_days": 30}
    return document


def test_the_catalogue_ships_its_public_space_reports_and_only_those():
    shipped = {
        t.slug: (t.nearby.radius_m, t.nearby.window_days)
        for t in default_catalog().request_types
        if t.nearby is not None
    }
    assert shipped == PUBLIC_SPACE


@pytest.mark.django_db
def test_installed_demarches_carry_the_settings(catalog):
    installed = dict(
        RequestType.objects.filter(nearby_radius_m__isnull=False).values_list(
            "slug", "nearby_radius_m"
        )
    )
    assert installed == {slug: radius for slug, (radius, _w) in PUBLIC_SPACE.items()}
    holidays = RequestType.objects.get(slug="tranquillite-vacances")
    assert not holidays.is_public_space_report
    assert RequestType.objects.get(slug="nid-de-poule").is_public_space_report


def test_a_nearby_setting_is_read_from_the_file():
    nearby = catalog_from_document(_located(), source="catalogue.yaml").request_types[0].nearby
    assert nearby is not None and (nearby.radius_m, nearby.window_days) == (50, 30)


def test_a_demarche_without_a_location_field_has_no_nearby_reports():
    document = _document()
    document["request_types"][0]["nearby"] = {"radius_m": 50, "window_days": 30}
    assert _refusal(document) == (
        "catalogue.yaml: request_types[0].nearby: une démarche sans champ « location » n'a pas "
        "de signalements proches"
    )


def test_a_confidential_demarche_shows_no_nearby_reports():
    document = _located()
    document["request_types"][0]["is_confidential"] = True
    assert "une démarche confidentielle ne montre pas" in _refusal(document)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (0, "0 : un nombre entier de 1 à 1000"),
        (1001, "1001 : un nombre entier de 1 à 1000"),
        (12.5, "12.5 : un nombre entier de 1 à 1000"),
    ],
)
def test_a_radius_is_a_whole_number_within_limits(value, message):
    document = _located()
    document["request_types"][0]["nearby"]["radius_m"] = value
    assert _refusal(document) == f"catalogue.yaml: request_types[0].nearby.radius_m: {message}"


def test_the_radius_comes_with_the_window():
    document = _located()
    del document["request_types"][0]["nearby"]["window_days"]
    assert "il manque la clé « window_days »" in _refusal(document)


@pytest.mark.django_db
def test_an_administrator_gives_both_settings_or_neither(catalog):
    pothole = RequestType.objects.get(slug="nid-de-poule")
    pothole.nearby_window_days = None
    with pytest.raises(ValidationError) as raised:
        pothole.full_clean()
    assert raised.value.message_dict == {
        "nearby_window_days": ["Indiquez le rayon et la période ensemble, ou laissez-les vides."]
    }
    pothole.nearby_radius_m = None
    pothole.full_clean()


@pytest.mark.django_db
def test_an_administrator_cannot_show_a_confidential_demarches_reports(catalog):
    pothole = RequestType.objects.get(slug="nid-de-poule")
    pothole.is_confidential = True
    with pytest.raises(ValidationError) as raised:
        pothole.full_clean()
    assert "nearby_radius_m" in raised.value.message_dict
    pothole.nearby_radius_m = pothole.nearby_window_days = None
    pothole.full_clean()


@pytest.mark.django_db
def test_the_settings_are_in_the_demarche_admin_page(client, make_agent, catalog):
    from parvis.conftest import verified_login

    admin = make_agent("accueil", is_superuser=True, is_staff=True)
    page = verified_login(client, admin).get(
        f"/admin/catalog/requesttype/{RequestType.objects.get(slug='nid-de-poule').pk}/change/"
    )
    html = page.content.decode()
    assert "Signalements proches (espace public)" in html
    assert 'name="nearby_radius_m"' in html and 'value="50"' in html
