"""The home page: commune, search box, the catalogue by service, the tracking link."""

import pytest
from django.urls import reverse

from parvis.catalog.models import RequestType
from parvis.core.models import Commune
from parvis.knowledge.selectors import public_categories

pytestmark = pytest.mark.django_db


def test_it_shows_the_commune_search_box_and_tracking_link(client, catalog):
    Commune.objects.create(name="Saint-Parvis-les-Bains")
    response = client.get(reverse("portal:home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Saint-Parvis-les-Bains" in html
    assert "Que souhaitez-vous faire ?" in html
    assert f'action="{reverse("portal:catalog")}"' in html
    assert 'method="get"' in html
    assert "Suivre une demande" in html
    assert f'href="{reverse("portal:track_lookup")}"' in html
    assert html.count("<h1") == 1


def test_it_lists_public_demarches_grouped_by_service(client, catalog):
    html = client.get(reverse("portal:home")).content.decode()
    assert "État civil" in html
    assert "Demande d&#x27;acte de naissance" in html
    assert reverse("portal:request_form", args=["acte-de-naissance"]) in html


def test_it_hides_internal_and_inactive_demarches(client, catalog):
    RequestType.objects.filter(slug="nid-de-poule").update(is_active=False)
    html = client.get(reverse("portal:home")).content.decode()
    assert "panne-informatique" not in html
    assert "Informatique" not in html
    assert reverse("portal:request_form", args=["nid-de-poule"]) not in html


def test_it_reads_the_catalogue_in_few_queries(client, catalog, django_assert_max_num_queries):
    Commune.current()  # the commune comes from the cache on every page
    public_categories()  # and so do the knowledge base's categories
    with django_assert_max_num_queries(2):
        response = client.get(reverse("portal:home"))
    assert response.status_code == 200
