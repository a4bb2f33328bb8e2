"""Form fields that say what they mean: whole or decimal numbers within limits, and fields
asked only when an earlier choice has some values — in the data file, the model, the admin
and the one validator of field values (catalog.forms), which every channel uses."""

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from parvis.catalog.data import default_catalog
from parvis.catalog.form_specs import check_fields
from parvis.catalog.forms import fields_form_class
from parvis.catalog.models import FormField, RequestType
from parvis.catalog.tests.test_catalog_data import _document, _refusal

pytestmark = pytest.mark.django_db


def _form(slug: str, data: dict[str, Any]) -> Any:
    request_type = RequestType.objects.get(slug=slug)
    return fields_form_class(request_type, files_required=False)(data=data)


BIRTH = {
    "birth_last_name": "Martin",
    "first_names": "Camille",
    "birth_date": "1990-05-12",
    "birth_place": "Ma commune",
    "copy_type": "copie-integrale",
    "requester_relation": "titulaire",
    "delivery_mode": "retrait-mairie",
}


@pytest.mark.parametrize(
    ("copies", "message"),
    [
        ("1.5", "Indiquez un nombre entier, sans virgule."),
        ("10", "Indiquez un nombre inférieur ou égal à 3."),
        ("0", "Indiquez un nombre supérieur ou égal à 1."),
    ],
)
def test_three_copies_at_most_means_a_whole_number_from_1_to_3(
    catalog: None, copies: str, message: str
) -> None:
    form = _form("acte-de-naissance", {**BIRTH, "copies": copies})
    assert not form.is_valid()
    assert form.errors["copies"] == [message]


def test_a_whole_number_within_the_limits_is_kept_as_an_integer(catalog: None) -> None:
    form = _form("acte-de-naissance", {**BIRTH, "copies": "3"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["copies"] == 3


def test_the_browser_is_told_the_limits(catalog: None) -> None:
    html = str(_form("acte-de-naissance", {})["copies"])
    assert 'type="number"' in html and 'min="1"' in html and 'max="3"' in html


def test_a_decimal_field_takes_decimals_above_its_minimum(catalog: None) -> None:
    values = {"household_size": "2", "monthly_income": "1234.56", "referred_by": "personne"}
    assert _form("aide-alimentaire", values).is_valid()
    form = _form("aide-alimentaire", {**values, "monthly_income": "-5"})
    assert form.errors["monthly_income"] == ["Indiquez un nombre supérieur ou égal à 0."]


ROOM = {
    "room": "salle-des-fetes",
    "event_date": "2026-06-20",
    "start_time": "14h00",
    "end_time": "23h00",
    "attendees": "80",
    "purpose": "reunion",
}


def test_a_conditional_field_is_required_when_its_condition_holds(catalog: None) -> None:
    form = _form("reservation-salle", {**ROOM, "organizer_type": "association"})
    assert not form.is_valid()
    assert form.errors["organization_name"] == ["Ce champ est obligatoire."]


def test_a_conditional_field_is_kept_when_its_condition_holds(catalog: None) -> None:
    data = {**ROOM, "organizer_type": "entreprise", "organization_name": "Loire Syndic"}
    form = _form("reservation-salle", data)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["organization_name"] == "Loire Syndic"


def test_a_conditional_field_is_not_asked_nor_kept_otherwise(catalog: None) -> None:
    assert _form("reservation-salle", {**ROOM, "organizer_type": "habitant"}).is_valid()
    data = {**ROOM, "organizer_type": "habitant", "organization_name": "Tapé sans raison"}
    form = _form("reservation-salle", data)
    assert form.is_valid()
    assert "organization_name" not in form.cleaned_data


def test_a_conditional_field_says_when_it_applies_and_carries_its_condition(
    catalog: None,
) -> None:
    field = _form("reservation-salle", {})["organization_name"]
    assert field.help_text == (
        "Obligatoire si « Vous réservez en tant que » vaut « Association » ou « Entreprise »."
    )
    html = str(field)
    assert 'data-shown-when="organizer_type"' in html
    assert 'data-shown-values="association,entreprise"' in html
    assert 'data-field-key="organizer_type"' in str(
        _form("reservation-salle", {})["organizer_type"]
    )


def test_a_field_hidden_by_a_hidden_field_is_dropped_too(catalog: None) -> None:
    request_type = RequestType.objects.get(slug="reservation-salle")
    request_type.fields.filter(key="needs_kitchen").update(
        shown_when_field="purpose", shown_when_values="fete-familiale"
    )
    FormField.objects.create(
        request_type=request_type,
        key="kitchen_hours",
        label="Heures de cuisine",
        kind="text",
        required=True,
        shown_when_field="needs_kitchen",
        shown_when_values="oui",
        position=99,
    )
    data = {**ROOM, "organizer_type": "habitant", "needs_kitchen": "oui"}
    form = _form("reservation-salle", data)  # purpose is "reunion": no kitchen, no hours
    assert form.is_valid(), form.errors
    assert "needs_kitchen" not in form.cleaned_data


def test_the_subsidy_form_no_longer_asks_the_association_name_twice() -> None:
    subsidy = next(t for t in default_catalog().request_types if t.slug == "demande-subvention")
    assert "association_name" not in {field.key for field in subsidy.fields}


def test_no_shipped_demarche_asks_for_the_requester_again() -> None:
    for request_type in default_catalog().request_types:
        for field in request_type.fields:
            assert "association" not in field.key, (request_type.slug, field.key)


# --- the data file ----------------------------------------------------------------------


def _number_field(**extra: Any) -> dict[str, Any]:
    return {"key": "copies", "label": "Exemplaires", "kind": "number", **extra}


def _with_field(field: dict[str, Any]) -> dict[str, Any]:
    document = _document()
    document["request_types"][0]["fields"].append(field)
    return document


def test_the_data_file_reads_integers_and_limits() -> None:
    from parvis.catalog.data import catalog_from_document

    document = _with_field(_number_field(integer=True, min=1, max=3))
    field = catalog_from_document(document, source="c.yaml").request_types[0].fields[2]
    assert (field.integer, field.min_value, field.max_value) == (True, Decimal(1), Decimal(3))


@pytest.mark.parametrize(
    ("field", "message"),
    [
        (
            {"key": "copies", "label": "Ex.", "kind": "text", "max": 3},
            "fields[2].max: seul un champ « number » a integer, min et max, pas un « text »",
        ),
        (_number_field(min=5, max=3), "fields[2].max: 3 est plus petit que le minimum 5"),
        (
            _number_field(integer=True, max=2.5),
            "fields[2].max: 2.5 : un champ entier (integer: true) a des limites entières",
        ),
        (_number_field(min="un"), "fields[2].min: attendu : un nombre ; trouvé « un »"),
    ],
)
def test_the_data_file_refuses_limits_that_make_no_sense(field: Any, message: str) -> None:
    assert _refusal(_with_field(field)).endswith(message)


@pytest.mark.parametrize(
    ("condition", "message"),
    [
        (
            {"field": "details", "values": ["x"]},
            "shown_when.field: « details » n'est pas un champ « choice » placé avant celui-ci "
            "(topic)",
        ),
        (
            {"field": "topic", "values": ["horaire"]},
            "shown_when.values[0]: « horaire » n'est pas une valeur du champ « topic » "
            "(horaires, autre)",
        ),
        ({"field": "topic", "values": []}, "shown_when.values: la liste ne peut pas être vide"),
        ({"field": "topic"}, "shown_when: il manque la clé « values »"),
    ],
)
def test_the_data_file_refuses_a_condition_on_nothing(condition: Any, message: str) -> None:
    field = {"key": "more", "label": "Plus", "kind": "text", "shown_when": condition}
    refusal = _refusal(_with_field(field))
    assert refusal.endswith(message), refusal


# --- the administration ---------------------------------------------------------------


def test_the_model_refuses_limits_on_a_text_and_a_minimum_above_the_maximum() -> None:
    with pytest.raises(ValidationError) as raised:
        FormField(kind="text", max_value=Decimal(3)).clean()
    assert "max_value" in raised.value.message_dict
    with pytest.raises(ValidationError) as raised:
        FormField(kind="number", min_value=Decimal(5), max_value=Decimal(3)).clean()
    assert raised.value.message_dict["max_value"] == ["Le maximum est plus petit que le minimum."]
    with pytest.raises(ValidationError) as raised:
        FormField(kind="text", shown_when_field="topic").clean()
    assert "shown_when_values" in raised.value.message_dict


def _checked(rows: list[dict[str, Any]]) -> None:
    check_fields([FormField(**row) for row in rows])


CHOICE_ROW = {"key": "who", "label": "Qui", "kind": "choice", "choices": "a|A\nb|B"}


def test_a_condition_on_an_earlier_choice_is_accepted() -> None:
    row = {"key": "name", "label": "Nom", "kind": "text"}
    _checked([CHOICE_ROW, row | {"shown_when_field": "who", "shown_when_values": "a"}])


@pytest.mark.parametrize(
    ("condition", "message"),
    [
        ({"shown_when_field": "nobody", "shown_when_values": "a"}, "placé avant"),
        ({"shown_when_field": "who", "shown_when_values": "c"}, "ne sont pas des choix"),
    ],
)
def test_a_condition_on_nothing_is_refused_in_french(condition: Any, message: str) -> None:
    row = {"key": "name", "label": "Nom", "kind": "text", **condition}
    with pytest.raises(ValidationError) as raised:
        _checked([CHOICE_ROW, row])
    assert message in " ".join(raised.value.messages)


def test_a_condition_on_a_later_choice_is_refused() -> None:
    row = {"key": "name", "label": "Nom", "kind": "text"}
    with pytest.raises(ValidationError, match="placé avant"):
        _checked([row | {"shown_when_field": "who", "shown_when_values": "a"}, CHOICE_ROW])


def test_a_choice_without_choices_is_refused() -> None:
    with pytest.raises(ValidationError, match="Indiquez au moins un choix"):
        _checked([CHOICE_ROW | {"choices": ""}])
