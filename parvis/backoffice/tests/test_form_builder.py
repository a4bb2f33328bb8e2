"""The form builder: administrators only; each change goes to the draft, errors in French,
the preview is the portal's form, publishing writes a version, old tickets keep theirs."""

from typing import Any

import pytest
from django.urls import reverse

from parvis.catalog.actions import form_field_save
from parvis.catalog.models import FormField, FormVersion, RequestType

pytestmark = pytest.mark.django_db

SLUG = "objet-trouve-perdu"


@pytest.fixture
def admin_client(catalog: None, make_agent: Any, login: Any) -> Any:
    return login(make_agent("police-municipale", is_staff=True))


def demarche() -> RequestType:
    return RequestType.objects.get(slug=SLUG)


def url(name: str, *args: object) -> str:
    return reverse(f"backoffice:{name}", args=[SLUG, *args])


def test_an_agent_who_is_not_an_administrator_is_refused(
    catalog: None, make_agent: Any, login: Any
) -> None:
    client = login(make_agent("police-municipale"))
    assert client.get(reverse("backoffice:form_list")).status_code == 403
    assert client.get(url("form_edit")).status_code == 403
    response = client.post(url("form_field_add"), {"label": "Couleur", "kind": "text"})
    assert response.status_code == 403
    assert not demarche().fields.filter(label="Couleur").exists()


def test_the_list_names_every_demarche_and_its_version_in_few_queries(
    admin_client: Any, django_assert_max_num_queries: Any
) -> None:
    admin_client.get(reverse("backoffice:form_list"))
    # The session, the user, the second factor, the memberships; then versions, démarches
    # with their services, and their draft fields: as many for 3 démarches as for 300.
    with django_assert_max_num_queries(7):
        page = admin_client.get(reverse("backoffice:form_list")).text
    assert "Objet trouvé ou perdu" in page
    assert page.count("version 1 du") == RequestType.objects.count()
    assert "modifications à publier" not in page


def test_adding_a_field_goes_to_the_draft_and_publishing_makes_version_2(
    admin_client: Any,
) -> None:
    response = admin_client.post(
        url("form_field_add"),
        {"label": "Couleur de l'objet", "kind": "text", "help_text": "Ex. : rouge"},
    )
    assert response.status_code == 302
    page = admin_client.get(url("form_edit")).text
    assert "Couleur de l&#x27;objet" in page
    assert "Le brouillon contient des modifications" in page
    assert "modifications à publier" in admin_client.get(reverse("backoffice:form_list")).text

    response = admin_client.post(url("form_publish"))

    assert response.status_code == 302
    version = FormVersion.objects.filter(request_type=demarche()).order_by("-number").first()
    assert version is not None and version.number == 2
    assert version.fields[-1]["label"] == "Couleur de l'objet"
    page = admin_client.get(url("form_edit")).text
    assert "Formulaire publié : version 2" in page
    versions = page[page.index("Versions publiées") :]
    assert versions.index("version 2 du") < versions.index("version 1 du")
    assert "livrée avec Parvis" in versions


def test_a_wrong_field_is_refused_with_a_french_message_on_its_input(admin_client: Any) -> None:
    response = admin_client.post(
        url("form_field_add"), {"label": "Taille", "kind": "choice", "choices": ""}
    )
    assert response.status_code == 400
    assert "Indiquez au moins un choix, un par ligne." in response.text
    response = admin_client.post(
        url("form_field_add"), {"label": "Nombre", "kind": "text", "min_value": "2"}
    )
    assert response.status_code == 400
    assert "Seul un champ « nombre » a un minimum" in response.text
    response = admin_client.post(
        url("form_field_add"), {"label": "Lieu", "key": "place", "kind": "text"}
    )
    assert "Un autre champ de cette démarche a déjà cette clé." in response.text
    assert not demarche().fields.filter(label__in=["Taille", "Nombre", "Lieu"]).exists()


def test_editing_moving_and_removing_change_the_draft_only(admin_client: Any) -> None:
    place = demarche().fields.get(key="place")
    response = admin_client.post(
        url("form_field_edit", place.pk),
        {"label": "Lieu exact", "kind": "text", "required": "on"},
    )
    assert response.status_code == 302
    assert demarche().fields.get(key="place").label == "Lieu exact"
    before = list(demarche().fields.order_by("position", "pk").values_list("key", flat=True))
    admin_client.post(url("form_field_up", place.pk))
    after = list(demarche().fields.order_by("position", "pk").values_list("key", flat=True))
    index = before.index("place")
    assert after[index - 1 : index + 1] == ["place", before[index - 1]]
    admin_client.post(url("form_field_remove", place.pk))
    assert not demarche().fields.filter(key="place").exists()
    # Nothing published: the citizen's form is version 1's.
    assert FormVersion.objects.filter(request_type=demarche()).count() == 1
    submit = reverse("portal:request_form", args=[SLUG])
    assert "Lieu (même approximatif)" in admin_client.get(submit).text


def test_the_preview_is_the_portals_form_of_the_draft_and_checks_answers(
    admin_client: Any,
) -> None:
    form_field_save(
        field=FormField(
            request_type=demarche(),
            label="Où l'avez-vous déposé ?",
            kind="text",
            required=True,
            shown_when_field="declaration_type",
            shown_when_values="trouve",
        )
    )
    page = admin_client.get(url("form_preview")).text
    assert "Où l&#x27;avez-vous déposé ?" in page
    assert 'data-shown-when="declaration_type"' in page
    assert "Obligatoire si « Vous avez » vaut « Trouvé un objet »." in page

    response = admin_client.post(url("form_preview"), {"declaration_type": "trouve"})
    assert "Ce champ est obligatoire." in response.text
    assert not FormVersion.objects.filter(number=2).exists()


def test_publishing_a_draft_that_cannot_be_filled_in_is_refused(admin_client: Any) -> None:
    admin_client.post(url("form_field_remove", demarche().fields.get(key="declaration_type").pk))
    # Still fine; now make a field depend on a choice that is no longer there.
    FormField.objects.create(
        request_type=demarche(),
        key="depot",
        label="Dépôt",
        shown_when_field="declaration_type",
        shown_when_values="trouve",
        position=99,
    )
    assert "À corriger avant de publier" in admin_client.get(url("form_edit")).text

    response = admin_client.post(url("form_publish"))

    assert response.status_code == 400
    assert "pas été publié" in response.text
    assert "placé avant" in response.text
    assert FormVersion.objects.filter(request_type=demarche()).count() == 1


def test_the_ticket_pages_show_the_labels_of_the_tickets_version(
    admin_client: Any, make_ticket: Any
) -> None:
    ticket = make_ticket(SLUG)
    details = demarche().fields.get(key="object_details")
    admin_client.post(
        url("form_field_edit", details.pk),
        {"label": "Décrivez l'objet", "kind": "text", "required": "on"},
    )
    admin_client.post(url("form_publish"))
    admin_client.get(url("form_edit"))  # its messages read

    agent_page = admin_client.get(reverse("backoffice:ticket", args=[ticket.reference])).text
    citizen_page = admin_client.get(reverse("portal:track", args=[ticket.tracking_token])).text
    for page in (agent_page, citizen_page):
        assert "Description de l&#x27;objet" in page
        assert "Décrivez l&#x27;objet" not in page
