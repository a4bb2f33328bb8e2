"""An administrator, not a developer, edits the catalogue in the admin."""

import pytest

from parvis.catalog.models import RequestType, Service
from parvis.catalog.selectors import search_request_types
from parvis.conftest import verified_login

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, make_agent, catalog):
    admin = make_agent("accueil", is_superuser=True)
    admin.is_staff = True
    admin.save()
    return verified_login(client, admin)


def test_the_request_type_pages_open(admin_client):
    request_type = RequestType.objects.get(slug="acte-de-naissance")
    assert admin_client.get("/admin/catalog/requesttype/").status_code == 200
    page = admin_client.get(f"/admin/catalog/requesttype/{request_type.pk}/change/")
    assert page.status_code == 200
    # Its fields are edited in the back office's form builder, which versions them.
    assert "Nom de naissance" not in page.text
    assert "page « Formulaires »" in page.text


def test_an_administrator_adds_a_demarche_whose_form_is_built_in_the_back_office(admin_client):
    service = Service.objects.get(slug="services-techniques")
    data = {
        "name": "Arbre tombé",
        "slug": "arbre-tombe",
        "service": service.pk,
        "description": "Un arbre est tombé sur la voie publique.",
        "keywords": "arbre tempête branche",
        "visibility": "public",
        "is_active": "on",
        "position": 5,
        "first_response_unit": "working_hours",
        "resolution_unit": "working_days",
    }
    response = admin_client.post("/admin/catalog/requesttype/add/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    request_type = RequestType.objects.get(slug="arbre-tombe")
    assert search_request_types("tempete")[0] == request_type
    page = admin_client.get(f"/admin/catalog/requesttype/{request_type.pk}/change/").text
    # One editor of the fields: the back office's builder, which versions them.
    assert "fields-TOTAL_FORMS" not in page
    assert "page « Formulaires »" in page


def test_confidential_tickets_stay_out_of_the_admin(admin_client, make_ticket):
    aid = make_ticket("demande-aide-sociale", subject="Aide pour le loyer")
    pothole = make_ticket("nid-de-poule", subject="Trou rue Hugo")
    page = admin_client.get("/admin/tickets/ticket/").content.decode()
    assert pothole.reference in page
    assert aid.reference not in page
