"""An administrator builds a démarche's form in the back office — a choice, a field shown for
one of its values, reordered, previewed, published —; a citizen then files it on the portal
and an agent reads the answers."""

from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from parvis.conftest import browser_administrator, fits_the_screen
from parvis.conftest import browser_log_in as log_in
from parvis.tickets.models import Ticket

pytestmark = pytest.mark.browser

LOST_AND_FOUND = "objet-trouve-perdu"
NAME = "Objet trouvé ou perdu"


@pytest.fixture
def administrator(live_catalog: None) -> Any:
    return browser_administrator("police-municipale")


def _checked(page: Any, axe_check: Any) -> None:
    fits_the_screen(page)
    axe_check(page)


def _draft_labels(page: Any) -> list[str]:
    return [text.strip() for text in page.locator(".form-builder-summary strong").all_inner_texts()]


def test_an_administrator_builds_a_form_a_citizen_fills_it_an_agent_reads_it(
    page: Any, live_server: Any, administrator: Any, axe_check: Any, settings: Any
) -> None:
    settings.BASE_URL = live_server.url
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_server, "chef", reverse("backoffice:form_list"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Formulaires des démarches")
    _checked(page, axe_check)
    page.get_by_role("link", name=f"Modifier le formulaire « {NAME} »").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Formulaire de la démarche « {NAME} »"
    )
    _checked(page, axe_check)

    # A choice…
    add = page.locator("form[action$='/champs/']")
    add.get_by_label("Libellé").fill("Couleur dominante")
    add.get_by_label("Type").select_option(label="choix dans une liste")
    add.get_by_label("Obligatoire").check()
    add.locator("#id_choices").fill("noir|Noir\nautre|Une autre couleur")
    add.get_by_role("button", name="Ajouter ce champ").click()
    expect(page.get_by_text("Champ « Couleur dominante » ajouté au brouillon.")).to_be_visible()

    # …a mistake, refused in French on its input…
    add = page.locator("form[action$='/champs/']")
    add.get_by_label("Libellé").fill("Précisez la couleur")
    add.get_by_label("Affiché seulement si le champ").select_option(label="Couleur dominante")
    add.get_by_role("button", name="Ajouter ce champ").click()
    expect(
        page.get_by_text("Indiquez la ou les valeurs qui font afficher ce champ.")
    ).to_be_visible()
    assert page.title().startswith("Erreur")
    _checked(page, axe_check)

    # …then the field shown only for « Une autre couleur ».
    add = page.locator("form[action$='/champs/']")
    assert add.get_by_label("Libellé").input_value() == "Précisez la couleur"
    add.get_by_label("Obligatoire").check()
    add.locator("#id_shown_when_values").fill("autre")
    add.get_by_role("button", name="Ajouter ce champ").click()
    expect(page.get_by_text("Champ « Précisez la couleur » ajouté au brouillon.")).to_be_visible()
    labels = _draft_labels(page)
    assert labels[-3:] == ["Photo", "Couleur dominante", "Précisez la couleur"]

    # Reordered: the colour before the photo, by a plain form post.
    page.get_by_role("button", name="Monter « Couleur dominante »").click()
    expect(page.locator(".form-builder-summary strong").nth(len(labels) - 3)).to_have_text(
        "Couleur dominante"
    )
    assert _draft_labels(page)[-3:] == ["Couleur dominante", "Photo", "Précisez la couleur"]
    _checked(page, axe_check)

    # The preview is the portal's form: the conditional field shows for its value only.
    page.get_by_role("link", name="Prévisualiser le brouillon").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Aperçu du brouillon : « {NAME} »")
    colour = page.get_by_label("Couleur dominante")
    detail = page.get_by_label("Précisez la couleur")
    expect(detail).to_be_hidden()
    colour.select_option("noir")
    expect(detail).to_be_hidden()
    colour.select_option("autre")
    expect(detail).to_be_visible()
    _checked(page, axe_check)
    page.get_by_role("button", name="Vérifier les réponses").click()
    expect(page.locator("#id_f-precisez_la_couleur_error")).to_contain_text(
        "Ce champ est obligatoire."
    )

    page.get_by_role("link", name=f"Formulaire « {NAME} »").click()
    page.get_by_role("button", name="Publier le formulaire").click()
    expect(page.get_by_text("Formulaire publié : version 2.")).to_be_visible()
    _checked(page, axe_check)

    # A citizen files the démarche with its new fields.
    citizen = page.context.browser.new_page(viewport={"width": 1280, "height": 900})
    citizen.goto(live_server.url + reverse("portal:request_form", args=[LOST_AND_FOUND]))
    citizen.locator("#id_name").fill("Léa Petit")
    citizen.locator("#id_email").fill("lea@example.fr")
    citizen.locator("#id_subject").fill("Parapluie perdu")
    citizen.locator("#id_f-declaration_type").select_option("perdu")
    citizen.locator("#id_f-object_category").select_option("autre")
    citizen.locator("#id_f-object_details").fill("Un grand parapluie")
    citizen.locator("#id_f-event_date").fill("2026-11-28")
    citizen.locator("#id_f-place").fill("Marché couvert")
    citizen.get_by_label("Couleur dominante").select_option("autre")
    citizen.get_by_label("Précisez la couleur").fill("Vert pomme")
    citizen.locator("#id_consent").check()
    citizen.get_by_role("button", name="Envoyer ma demande").click()
    expect(citizen.locator(".acknowledgement")).to_contain_text(
        "Votre demande a bien été enregistrée."
    )
    ticket = Ticket.objects.get()
    assert ticket.form_version is not None and ticket.form_version.number == 2
    assert ticket.field_values["couleur_dominante"] == "autre"
    assert ticket.field_values["precisez_la_couleur"] == "Vert pomme"
    citizen.close()

    # An agent reads the answers with the labels of the ticket's version.
    page.goto(live_server.url + reverse("backoffice:ticket", args=[ticket.reference]))
    expect(page.get_by_text("Une autre couleur")).to_be_visible()
    expect(page.get_by_text("Vert pomme")).to_be_visible()
    expect(page.get_by_text("Précisez la couleur")).to_be_visible()
