"""The default catalogue's data file and the checks that guard it.

Each check is shown failing on a small document: ``_document()`` is a valid catalogue that
each test breaks in one place.
"""

import importlib
from typing import Any

import pytest

from parvis.catalog.data import (
    FIELD_KEY_LENGTH,
    FIELD_LABEL_LENGTH,
    HELP_TEXT_LENGTH,
    REQUEST_TYPE_NAME_LENGTH,
    SERVICE_NAME_LENGTH,
    SLUG_LENGTH,
    Choice,
    catalog_from_document,
    default_catalog,
)
from parvis.catalog.models import FormField, RequestType, Service
from parvis.catalog.vocabulary import FieldKind, Visibility
from parvis.core.datafiles import DataFileError


def _document() -> dict[str, Any]:
    return {
        "services": [
            {
                "slug": "accueil",
                "name": "Accueil",
                "description": "Questions générales.",
                "is_internal": False,
            },
            {
                "slug": "informatique",
                "name": "Informatique",
                "description": "Assistance des agents.",
                "is_internal": True,
            },
        ],
        "request_types": [
            {
                "slug": "question-generale",
                "service": "accueil",
                "name": "Question générale",
                "description": "Posez votre question.",
                "visibility": "public",
                "is_confidential": False,
                "keywords": "question renseignement",
                "fields": [
                    {
                        "key": "topic",
                        "label": "Sujet",
                        "kind": "choice",
                        "required": True,
                        "choices": ["horaires|Horaires", "autre|Autre"],
                    },
                    {
                        "key": "details",
                        "label": "Précisions",
                        "kind": "textarea",
                        "help_text": "Ce que vous savez déjà.",
                    },
                ],
            },
            {
                "slug": "panne-informatique",
                "service": "informatique",
                "name": "Panne informatique",
                "description": "Signalez une panne.",
                "visibility": "internal",
                "is_confidential": False,
                "keywords": "panne ordinateur",
                "fields": [{"key": "details", "label": "Ce qui ne marche pas", "kind": "text"}],
            },
        ],
        "routing_rules": [{"service": "accueil", "keywords": "horaires, réclamation"}],
    }


def _refusal(document: dict[str, Any]) -> str:
    with pytest.raises(DataFileError) as raised:
        catalog_from_document(document, source="catalogue.yaml")
    return str(raised.value)


def test_the_shipped_catalogue_passes_its_checks():
    catalog = default_catalog()
    assert len(catalog.services) == 10
    assert len(catalog.request_types) == 32
    assert len(catalog.routing_rules) == 11
    assert default_catalog() is catalog, "read once per process"


def test_a_small_catalogue_is_read_as_written_with_the_defaults_filled_in():
    catalog = catalog_from_document(_document(), source="catalogue.yaml")
    assert [s.slug for s in catalog.services] == ["accueil", "informatique"]
    question = catalog.request_types[0]
    assert question.visibility == Visibility.PUBLIC
    topic, details = question.fields
    assert topic.kind == FieldKind.CHOICE and topic.required
    assert topic.choices == (Choice("horaires", "Horaires"), Choice("autre", "Autre"))
    assert topic.choices_text == "horaires|Horaires\nautre|Autre"
    assert (details.required, details.help_text, details.choices) == (
        False,
        "Ce que vous savez déjà.",
        (),
    )
    assert catalog.routing_rules[0].service == "accueil"


def test_a_field_of_an_unknown_kind_is_refused():
    document = _document()
    document["request_types"][1]["fields"][0]["kind"] = "colour"
    assert _refusal(document) == (
        "catalogue.yaml: request_types[1].fields[0].kind: « colour » n'est pas un type de champ "
        "(text, textarea, date, number, choice, email, phone, file, location)"
    )


def test_an_unknown_visibility_is_refused():
    document = _document()
    document["request_types"][0]["visibility"] = "privée"
    assert _refusal(document) == (
        "catalogue.yaml: request_types[0].visibility: « privée » n'est pas une visibilité "
        "(public, internal)"
    )


def test_a_choice_field_without_choices_is_refused():
    document = _document()
    del document["request_types"][0]["fields"][0]["choices"]
    assert _refusal(document) == (
        "catalogue.yaml: request_types[0].fields[0].choices: "
        "un champ « choice » a besoin de choix (valeur|libellé)"
    )


def test_choices_on_a_field_that_is_not_a_choice_are_refused():
    document = _document()
    document["request_types"][0]["fields"][1]["choices"] = ["a|A"]
    assert _refusal(document) == (
        "catalogue.yaml: request_types[0].fields[1].choices: "
        "seul un champ « choice » a des choix, pas un « textarea »"
    )


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("horaires", "« horaires » : écrivez valeur|libellé"),
        ("horaires|", "« horaires| » : écrivez valeur|libellé"),
        ("|Horaires", "« |Horaires » : écrivez valeur|libellé"),
        ("Horaires|Horaires", "« Horaires » n'est pas une valeur de choix valide"),
        ("horaires |Horaires", "« horaires  » n'est pas une valeur de choix valide"),
        ("horaires| Horaires", "« horaires| Horaires » : rien autour de la barre"),
    ],
)
def test_a_choice_not_written_value_bar_label_is_refused(written, message):
    document = _document()
    document["request_types"][0]["fields"][0]["choices"][0] = written
    assert _refusal(document).startswith(
        f"catalogue.yaml: request_types[0].fields[0].choices[0]: {message}"
    )


def test_a_choice_value_given_twice_in_a_field_is_refused():
    document = _document()
    document["request_types"][0]["fields"][0]["choices"][1] = "horaires|Heures d'ouverture"
    assert _refusal(document) == (
        "catalogue.yaml: request_types[0].fields[0].choices[1]: "
        "« horaires » figure déjà en request_types[0].fields[0].choices[0]"
    )


def test_a_request_type_naming_an_unknown_service_is_refused():
    document = _document()
    document["request_types"][1]["service"] = "informatiques"
    assert _refusal(document) == (
        "catalogue.yaml: request_types[1].service: « informatiques » n'est pas un service du "
        "catalogue (accueil, informatique)"
    )


def test_a_routing_rule_naming_an_unknown_service_is_refused():
    document = _document()
    document["routing_rules"][0]["service"] = "mairie"
    assert _refusal(document) == (
        "catalogue.yaml: routing_rules[0].service: « mairie » n'est pas un service du "
        "catalogue (accueil, informatique)"
    )


def test_a_service_slug_given_twice_is_refused():
    document = _document()
    document["services"][1]["slug"] = "accueil"
    assert _refusal(document) == (
        "catalogue.yaml: services[1].slug: « accueil » figure déjà en services[0].slug"
    )


def test_a_request_type_slug_given_twice_is_refused():
    document = _document()
    document["request_types"][1]["slug"] = "question-generale"
    assert _refusal(document) == (
        "catalogue.yaml: request_types[1].slug: « question-generale » figure déjà en "
        "request_types[0].slug"
    )


def test_a_field_key_given_twice_in_one_request_type_is_refused():
    document = _document()
    document["request_types"][0]["fields"][1]["key"] = "topic"
    assert _refusal(document) == (
        "catalogue.yaml: request_types[0].fields[1].key: « topic » figure déjà en "
        "request_types[0].fields[0].key"
    )


def test_one_field_key_in_two_request_types_is_fine():
    catalog = catalog_from_document(_document(), source="catalogue.yaml")
    assert catalog.request_types[0].fields[1].key == catalog.request_types[1].fields[0].key


@pytest.mark.parametrize(
    ("place", "path"),
    [
        (("services", 0, "name"), "services[0].name"),
        (("services", 1, "description"), "services[1].description"),
        (("request_types", 0, "name"), "request_types[0].name"),
        (("request_types", 0, "description"), "request_types[0].description"),
        (("request_types", 0, "keywords"), "request_types[0].keywords"),
        (("routing_rules", 0, "keywords"), "routing_rules[0].keywords"),
    ],
)
def test_an_empty_required_text_is_refused(place, path):
    document = _document()
    section, index, key = place
    document[section][index][key] = ""
    assert _refusal(document) == f"catalogue.yaml: {path}: ne peut pas être vide"


def test_an_empty_field_label_is_refused():
    document = _document()
    document["request_types"][0]["fields"][1]["label"] = ""
    assert _refusal(document) == (
        "catalogue.yaml: request_types[0].fields[1].label: ne peut pas être vide"
    )


def test_a_missing_key_is_refused():
    document = _document()
    del document["services"][0]["is_internal"]
    assert _refusal(document) == "catalogue.yaml: services[0]: il manque la clé « is_internal »"


def test_a_misspelt_key_is_refused():
    document = _document()
    document["request_types"][0]["fields"][1]["help_txt"] = "Aide"
    assert _refusal(document).startswith(
        "catalogue.yaml: request_types[0].fields[1].help_txt: clé inconnue (attendues : key, "
    )


def test_a_yes_no_written_as_text_is_refused():
    document = _document()
    document["services"][0]["is_internal"] = "non"
    assert _refusal(document) == (
        "catalogue.yaml: services[0].is_internal: attendu : true ou false ; trouvé « non »"
    )


def test_a_name_longer_than_its_column_is_refused():
    document = _document()
    document["services"][0]["name"] = "A" * (SERVICE_NAME_LENGTH + 1)
    assert _refusal(document) == (
        f"catalogue.yaml: services[0].name: {SERVICE_NAME_LENGTH + 1} caractères, "
        f"{SERVICE_NAME_LENGTH} au plus"
    )


def test_the_length_limits_are_the_columns_own():
    def column(model: Any, name: str) -> int:
        return int(model._meta.get_field(name).max_length)

    assert SLUG_LENGTH == column(Service, "slug") == column(RequestType, "slug")
    assert column(Service, "name") == SERVICE_NAME_LENGTH
    assert column(RequestType, "name") == REQUEST_TYPE_NAME_LENGTH
    assert column(FormField, "key") == FIELD_KEY_LENGTH
    assert column(FormField, "label") == FIELD_LABEL_LENGTH
    assert column(FormField, "help_text") == HELP_TEXT_LENGTH


def test_the_vocabularies_are_the_models_own():
    assert FormField.Kind is FieldKind
    assert RequestType.Visibility is Visibility


@pytest.mark.parametrize(
    ("place", "value", "message"),
    [
        (("services", 0, "slug"), "État-civil", "« État-civil » n'est pas un identifiant valide"),
        (("services", 0, "slug"), "etat_civil", "« etat_civil » n'est pas un identifiant valide"),
        (("request_types", 0, "slug"), "question générale", "« question générale » n'est pas"),
    ],
)
def test_a_slug_that_is_not_a_slug_is_refused(place, value, message):
    document = _document()
    section, index, key = place
    document[section][index][key] = value
    assert message in _refusal(document)


def test_a_field_key_that_is_not_snake_case_is_refused():
    document = _document()
    document["request_types"][0]["fields"][1]["key"] = "moreDetails"
    assert _refusal(document) == (
        "catalogue.yaml: request_types[0].fields[1].key: « moreDetails » n'est pas un "
        "identifiant valide (snake_case : minuscules sans accents, chiffres, soulignés)"
    )


@pytest.mark.parametrize("keywords", ["Question renseignement", "question réclamation"])
def test_request_type_keywords_with_capitals_or_accents_are_refused(keywords):
    document = _document()
    document["request_types"][0]["keywords"] = keywords
    assert _refusal(document) == (
        "catalogue.yaml: request_types[0].keywords: en minuscules et sans accents"
    )


@pytest.mark.parametrize(
    ("keywords", "message"),
    [
        ("horaires,, réclamation", "un mot-clé vide entre deux virgules"),
        ("horaires, Réclamation", "« Réclamation » : les mots-clés en minuscules"),
    ],
)
def test_routing_rule_keywords_are_lower_case_and_separated_by_single_commas(keywords, message):
    document = _document()
    document["routing_rules"][0]["keywords"] = keywords
    assert _refusal(document) == f"catalogue.yaml: routing_rules[0].keywords: {message}"


def test_no_shipped_field_promises_a_map_until_there_is_one():
    # Issue 7, point 16: "Placez le repère sur la carte" on a plain text field.
    promises = [
        f"{request_type.slug}.{field.key}: {field.help_text}"
        for request_type in default_catalog().request_types
        for field in request_type.fields
        if "carte" in f"{field.label} {field.help_text}".lower()
        and field.kind == FieldKind.LOCATION
    ]
    assert promises == []


@pytest.mark.django_db
def test_the_migration_rewords_the_shipped_map_help_texts_and_keeps_an_administrators(catalog):
    from django.apps import apps

    migration = importlib.import_module("parvis.catalog.migrations.0005_location_help_without_map")
    old = "Placez le repère sur la carte ou saisissez l'adresse la plus proche."
    fields = FormField.objects.filter(kind=FieldKind.LOCATION)
    shipped, written = fields[0], fields[1]
    FormField.objects.filter(pk=shipped.pk).update(help_text=old)
    FormField.objects.filter(pk=written.pk).update(help_text="Voir la carte affichée en mairie.")
    migration.reword(apps, None)
    shipped.refresh_from_db()
    written.refresh_from_db()
    assert shipped.help_text == migration.REWORDED[old]
    assert written.help_text == "Voir la carte affichée en mairie."
