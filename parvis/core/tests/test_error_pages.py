"""The error pages: French, in the look of the part of the site they are met in, each with a
way on (parvis.error_pages, wired in parvis.urls and CSRF_FAILURE_VIEW)."""

from typing import Any

import pytest
from django.core.exceptions import BadRequest, PermissionDenied
from django.test import Client, RequestFactory, override_settings
from django.urls import path

from parvis import error_pages
from parvis.urls import urlpatterns as site_urlpatterns


def _raise_bad_request(request: Any) -> None:
    raise BadRequest("developer detail")


def _raise_denied(request: Any) -> None:
    raise PermissionDenied("developer detail")


def _crash(request: Any) -> None:
    raise RuntimeError("developer detail")


# The site's URLs with three views that fail, under each part of the site.
urlpatterns = [
    path("agents/essai/400/", _raise_bad_request),
    path("agents/essai/403/", _raise_denied),
    path("agents/essai/500/", _crash),
    path("essai/400/", _raise_bad_request),
    path("essai/403/", _raise_denied),
    path("essai/500/", _crash),
    *site_urlpatterns,
]
handler400 = error_pages.bad_request
handler403 = error_pages.permission_denied
handler404 = error_pages.page_not_found
handler500 = error_pages.server_error

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


@pytest.fixture
def client() -> Client:
    return Client(raise_request_exception=False)


def test_an_unknown_portal_address_is_a_french_404_with_the_ways_on(client: Client) -> None:
    response = client.get("/nulle-part/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page introuvable" in html
    assert "Not Found" not in html
    assert 'lang="fr"' in html
    assert 'action="/demarches/"' in html  # search a démarche
    assert 'href="/suivi/"' in html  # find a request by its number
    assert "portal/portal.css" in html  # the citizens' look


def test_a_wrong_tracking_link_says_it_may_be_incomplete(client: Client) -> None:
    response = client.get("/suivi/pas-un-vrai-jeton/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Ce lien de suivi ne correspond à aucune demande" in html
    assert 'href="/suivi/"' in html


def test_an_unknown_demarche_says_so_and_offers_the_search(catalog: None, client: Client) -> None:
    response = client.get("/demarches/demarche-inconnue/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Cette démarche n'existe pas ou n'est plus proposée en ligne" in html
    assert 'name="q"' in html


def test_an_agents_404_has_the_back_office_look_and_the_way_back_to_the_queue(
    client: Client,
) -> None:
    response = client.get("/agents/nulle-part/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page introuvable" in html
    assert "backoffice/backoffice.css" in html
    assert 'href="/agents/"' in html
    assert "Retour aux demandes" in html
    assert "portal/portal.css" not in html


@pytest.mark.parametrize(
    ("address", "status", "heading"),
    [
        ("/essai/400/", 400, "La demande envoyée au serveur n'est pas valide."),
        ("/essai/403/", 403, "Vous n'avez pas accès à cette page."),
        ("/essai/500/", 500, "Une erreur est survenue de notre côté."),
        ("/agents/essai/400/", 400, "La demande envoyée au serveur n'est pas valide."),
        ("/agents/essai/403/", 403, "Vous n'avez pas accès à cette page."),
        ("/agents/essai/500/", 500, "Une erreur est survenue de notre côté."),
    ],
)
def test_each_error_has_its_french_page(
    client: Client, address: str, status: int, heading: str
) -> None:
    response = client.get(address)
    assert response.status_code == status
    html = response.content.decode()
    assert f"<h1>{heading}</h1>".replace("'", "&#x27;") in html
    assert f"Erreur {status}" in html
    assert "developer detail" not in html
    assert "Que faire ?" in html
    expected_way_on = 'href="/agents/"' if address.startswith("/agents/") else 'href="/suivi/"'
    assert expected_way_on in html


def test_the_api_gets_json_not_a_page(client: Client) -> None:
    response = client.get("/api/nulle-part/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Page introuvable."}


def test_the_500_page_is_plain_html_when_the_look_cannot_be_rendered(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(*args: Any, **kwargs: Any) -> str:
        raise RuntimeError("database down")

    monkeypatch.setattr(error_pages.loader, "render_to_string", broken)
    response = error_pages.server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "Une erreur est survenue" in response.content.decode()


@override_settings(CSRF_FAILURE_VIEW="parvis.error_pages.csrf_failure")
def test_a_form_refused_by_the_csrf_check_says_what_to_do(catalog: None) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/suivi/", {"reference": "2026-00001", "email": "a@example.fr"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "Ce formulaire a expiré ou n&#x27;a pas pu être vérifié." in html
    assert "Rechargez cette page" in html
    assert "Forbidden" not in html
    assert "cookie not set" not in html


def test_the_site_uses_these_handlers() -> None:
    from django.conf import settings

    from parvis import urls

    assert urls.handler404 == "parvis.error_pages.page_not_found"
    assert urls.handler400 == "parvis.error_pages.bad_request"
    assert urls.handler403 == "parvis.error_pages.permission_denied"
    assert urls.handler500 == "parvis.error_pages.server_error"
    assert settings.CSRF_FAILURE_VIEW == "parvis.error_pages.csrf_failure"
