"""A démarche's form is edited as a draft and published as versions; a ticket keeps its own."""

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from parvis.catalog.actions import (
    catalog_load_defaults,
    form_field_move,
    form_field_remove,
    form_field_save,
    form_publish,
)
from parvis.catalog.forms import field_display_rows
from parvis.catalog.models import FormField, FormVersion, RequestType
from parvis.catalog.selectors import (
    demarches_with_forms,
    request_type_with_fields,
    ticket_form_fields,
)

pytestmark = pytest.mark.django_db

SLUG = "objet-trouve-perdu"


def demarche() -> RequestType:
    return RequestType.objects.get(slug=SLUG)


def published_keys() -> list[str]:
    request_type = request_type_with_fields(SLUG)
    assert request_type is not None
    return [field.key for field in request_type.fields.all()]


def draft_keys() -> list[str]:
    return list(demarche().fields.order_by("position", "pk").values_list("key", flat=True))


def add(label: str, **values: Any) -> FormField:
    return form_field_save(field=FormField(request_type=demarche(), label=label, **values))


def test_load_catalog_publishes_version_1_and_keeps_it_on_a_second_run(catalog: None) -> None:
    version = FormVersion.objects.get(request_type=demarche())
    assert (version.number, version.is_default) == (1, True)
    assert [field["key"] for field in version.fields] == draft_keys()

    catalog_load_defaults()

    assert FormVersion.objects.filter(request_type=demarche()).count() == 1


def test_a_draft_edit_is_not_seen_until_published(catalog: None) -> None:
    before = published_keys()
    field = add("Couleur de l'objet")
    assert field.key == "couleur_de_lobjet"  # drawn from the label
    assert published_keys() == before
    row = next(row for row in demarches_with_forms() if row.request_type.slug == SLUG)
    assert row.has_unpublished_changes

    version = form_publish(request_type=demarche(), actor=None)

    assert version.number == 2
    assert published_keys() == [*before, "couleur_de_lobjet"]
    row = next(row for row in demarches_with_forms() if row.request_type.slug == SLUG)
    assert not row.has_unpublished_changes


def test_publishing_an_unchanged_draft_is_refused_in_french(catalog: None) -> None:
    with pytest.raises(ValidationError, match="Rien à publier"):
        form_publish(request_type=demarche(), actor=None)


def test_a_ticket_keeps_the_labels_and_choices_of_its_version(
    catalog: None, make_ticket: Any
) -> None:
    ticket = make_ticket(SLUG)
    assert ticket.form_version.number == 1
    kind = demarche().fields.get(key="declaration_type")
    kind.label = "Votre situation"
    kind.choices = "perdu|J'ai perdu\ntrouve|J'ai trouvé"
    form_field_save(field=kind)
    form_field_remove(field=demarche().fields.get(key="place"))
    form_publish(request_type=demarche(), actor=None)

    ticket.refresh_from_db()
    rows = dict(
        field_display_rows(
            ticket_form_fields(ticket.form_version_id, ticket.request_type_id),
            ticket.field_values,
        )
    )
    assert ticket.form_version.number == 1
    assert rows["Vous avez"] == "Perdu un objet"
    assert rows["Lieu (même approximatif)"] == ticket.field_values["place"]
    assert "Votre situation" not in rows
    newer = make_ticket(SLUG)
    assert newer.form_version.number == 2
    assert "place" not in newer.field_values


def test_a_ticket_is_checked_against_the_published_form_not_the_draft(
    catalog: None, make_ticket: Any
) -> None:
    add("Numéro de série", required=True)  # a draft: not asked yet
    ticket = make_ticket(SLUG)
    assert "numero_de_serie" not in ticket.field_values
    assert ticket.form_version.number == 1


def test_reordering_moves_one_place_and_stops_at_the_ends(catalog: None) -> None:
    first, second, *rest = draft_keys()
    form_field_move(field=demarche().fields.get(key=second), up=True)
    assert draft_keys() == [second, first, *rest]
    form_field_move(field=demarche().fields.get(key=second), up=True)
    assert draft_keys() == [second, first, *rest]
    form_field_move(field=demarche().fields.get(key=rest[-1]), up=False)
    assert draft_keys() == [second, first, *rest]


def test_field_errors_are_in_french(catalog: None) -> None:
    with pytest.raises(ValidationError) as raised:
        add("Nombre d'objets", kind="text", min_value=3)
    assert "Seul un champ « nombre »" in raised.value.message_dict["min_value"][0]
    with pytest.raises(ValidationError) as raised:
        add("Taille", kind="choice")
    assert raised.value.message_dict["choices"] == ["Indiquez au moins un choix, un par ligne."]
    with pytest.raises(ValidationError) as raised:
        add("Lieu", key="place")
    assert raised.value.message_dict["key"] == [
        "Un autre champ de cette démarche a déjà cette clé."
    ]


def test_a_condition_moved_above_its_choice_cannot_be_published(catalog: None) -> None:
    with pytest.raises(ValidationError) as raised:
        add("Où l'avez-vous déposé ?", shown_when_field="declaration_type")
    assert raised.value.message_dict["shown_when_values"] == [
        "Indiquez la ou les valeurs qui font afficher ce champ."
    ]
    shown = add(
        "Où l'avez-vous déposé ?", shown_when_field="declaration_type", shown_when_values="trouve"
    )
    while draft_keys()[0] != shown.key:
        form_field_move(field=shown, up=True)

    with pytest.raises(ValidationError) as raised:
        form_publish(request_type=demarche(), actor=None)

    assert raised.value.messages == [
        "« Où l'avez-vous déposé ? » : son affichage dépend d'un champ « choix » placé avant."
    ]
    assert FormVersion.objects.filter(request_type=demarche()).count() == 1


def test_the_migration_makes_version_1_from_the_fields_and_files_old_tickets_under_it(
    catalog: None, make_ticket: Any
) -> None:
    import importlib

    from django.apps import apps

    from parvis.tickets.models import Ticket

    migration = importlib.import_module("parvis.tickets.migrations.0022_form_version_one")
    ticket = make_ticket(SLUG)
    Ticket.objects.update(form_version=None)
    FormVersion.objects.all().delete()  # as before the migration

    migration.forward(apps, None)

    version = FormVersion.objects.get(request_type=demarche())
    assert (version.number, version.is_default) == (1, False)
    assert [field["key"] for field in version.fields] == draft_keys()
    ticket.refresh_from_db()
    assert ticket.form_version == version
    assert FormVersion.objects.count() == RequestType.objects.count()
