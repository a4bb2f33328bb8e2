"""The demo corpus's data file and the checks that hold it to the default catalogue.

Each check is shown failing on small documents: ``_corpus()`` is a valid corpus for the
catalogue ``_CATALOG``, and each test breaks it in one place.
"""

import datetime
from typing import Any

import pytest

from parvis.catalog.data import catalog_from_document, default_catalog
from parvis.catalog.models import RequestType
from parvis.core.datafiles import DataFileError
from parvis.demo.data import Location, corpus_from_document, demo_corpus
from parvis.tickets.actions import clean_field_values

_CATALOG = catalog_from_document(
    {
        "services": [
            {"slug": "accueil", "name": "Accueil", "description": "Tout.", "is_internal": False},
            {"slug": "voirie", "name": "Voirie", "description": "Routes.", "is_internal": False},
        ],
        "request_types": [
            {
                "slug": "nid-de-poule",
                "service": "voirie",
                "name": "Nid de poule",
                "description": "Signalez un trou.",
                "visibility": "public",
                "is_confidential": False,
                "keywords": "trou route",
                "fields": [
                    {"key": "place", "label": "Lieu", "kind": "location", "required": True},
                    {"key": "seen_on", "label": "Vu le", "kind": "date", "required": True},
                    {"key": "depth_cm", "label": "Profondeur", "kind": "number"},
                    {
                        "key": "danger",
                        "label": "Danger",
                        "kind": "choice",
                        "required": True,
                        "choices": ["faible|Faible", "grave|Grave"],
                    },
                    {"key": "photo", "label": "Photo", "kind": "file", "required": True},
                    {"key": "remarks", "label": "Remarques", "kind": "text"},
                ],
            },
            {
                "slug": "question-generale",
                "service": "accueil",
                "name": "Question",
                "description": "Posez-la.",
                "visibility": "public",
                "is_confidential": False,
                "keywords": "question",
                "fields": [],
            },
        ],
        "routing_rules": [],
    },
    source="catalogue.yaml",
)


def _corpus() -> dict[str, Any]:
    return {
        "commune_name": "Saint-Aubin-sur-Loire",
        "first_names": ["Marie", "Jean"],
        "last_names": ["Martin"],
        "streets": ["rue Victor Hugo"],
        "associations": ["Comité des fêtes"],
        "agents": [{"service": "voirie", "first_name": "Patrick", "last_name": "Moreau"}],
        "scenarios": {
            "nid-de-poule": [
                {
                    "subject": "Trou rue Victor Hugo",
                    "description": "Un gros trou devant le 12.",
                    "fields": {
                        "place": {"address": "12 rue Victor Hugo", "lat": 47.3, "lon": 0.9},
                        "seen_on": "2026-03-12",
                        "depth_cm": 15,
                        "danger": "grave",
                    },
                    "reply": "Nous intervenons demain.",
                }
            ],
            "question-generale": [{"subject": "Horaires", "description": "Quand ouvrez-vous ?"}],
        },
        "free_text_emails": [{"subject": "Bruit", "body": "Mon voisin fait du bruit."}],
    }


def _refusal(document: dict[str, Any]) -> str:
    with pytest.raises(DataFileError) as raised:
        corpus_from_document(document, catalog=_CATALOG, source="corpus.yaml")
    return str(raised.value)


def _pothole(document: dict[str, Any]) -> dict[str, Any]:
    scenario: dict[str, Any] = document["scenarios"]["nid-de-poule"][0]
    return scenario


def test_the_shipped_corpus_passes_its_checks_against_the_default_catalogue():
    corpus = demo_corpus()
    slugs = {definition.slug for definition in default_catalog().request_types}
    assert {scenario.request_type for scenario in corpus.scenarios} == slugs
    assert len(corpus.scenarios) == 131
    assert len(corpus.free_text_emails) == 15
    assert corpus.commune_name == "Saint-Aubin-sur-Loire"
    assert demo_corpus() is corpus, "read once per process"


def test_every_shipped_scenario_passes_its_demarche_form(catalog):
    """The data check catches the structure; the démarche's own form has the last word."""
    for scenario in demo_corpus().scenarios:
        request_type = RequestType.objects.get(slug=scenario.request_type)
        values = {
            key: value.address if isinstance(value, Location) else value
            for key, value in scenario.fields
        }
        assert clean_field_values(request_type, values) == values, scenario.subject


def test_a_small_corpus_is_read_as_written_with_the_defaults_filled_in():
    corpus = corpus_from_document(_corpus(), catalog=_CATALOG, source="corpus.yaml")
    (pothole,) = corpus.scenarios_for("nid-de-poule")
    assert pothole.fields == (
        ("place", Location("12 rue Victor Hugo", 47.3, 0.9)),
        ("seen_on", "2026-03-12"),
        ("depth_cm", 15),
        ("danger", "grave"),
    )
    assert (pothole.reply, pothole.note) == ("Nous intervenons demain.", "")
    (question,) = corpus.scenarios_for("question-generale")
    assert question.fields == ()
    assert corpus.scenarios_for("inconnue") == ()
    agent = corpus.agent_for("voirie")
    assert agent is not None and agent.first_name == "Patrick"
    assert corpus.agent_for("accueil") is None


def test_a_scenario_naming_an_unknown_demarche_is_refused():
    document = _corpus()
    document["scenarios"]["trou"] = document["scenarios"].pop("nid-de-poule")
    assert _refusal(document) == (
        "corpus.yaml: scenarios.trou: « trou » n'est pas une démarche du catalogue"
    )


def test_a_demarche_without_scenarios_is_refused():
    document = _corpus()
    del document["scenarios"]["question-generale"]
    assert _refusal(document) == "corpus.yaml: scenarios: aucun scénario pour : question-generale"


def test_a_value_for_a_field_the_demarche_lacks_is_refused():
    document = _corpus()
    _pothole(document)["fields"]["width_cm"] = 40
    assert _refusal(document) == (
        "corpus.yaml: scenarios.nid-de-poule[0].fields.width_cm: "
        "la démarche nid-de-poule n'a pas de champ « width_cm »"
    )


def test_a_value_for_a_file_field_is_refused():
    document = _corpus()
    _pothole(document)["fields"]["photo"] = "trou.jpg"
    assert _refusal(document) == (
        "corpus.yaml: scenarios.nid-de-poule[0].fields.photo: "
        "un champ « file » ne prend pas de valeur dans un scénario"
    )


def test_a_scenario_leaving_out_a_required_field_is_refused():
    document = _corpus()
    del _pothole(document)["fields"]["danger"]
    assert _refusal(document) == (
        "corpus.yaml: scenarios.nid-de-poule[0].fields: il manque le champ obligatoire « danger »"
    )


@pytest.mark.parametrize("value", ["12/03/2026", "2026-02-30", "20260312", 20260312])
def test_a_date_that_is_not_an_iso_date_is_refused(value):
    document = _corpus()
    _pothole(document)["fields"]["seen_on"] = value
    assert _refusal(document) == (
        "corpus.yaml: scenarios.nid-de-poule[0].fields.seen_on: "
        f"attendu : une date AAAA-MM-JJ ; trouvé « {value} »"
    )


def test_an_unquoted_date_is_read_as_its_iso_text():
    document = _corpus()
    _pothole(document)["fields"]["seen_on"] = datetime.date(2026, 3, 12)  # what YAML makes of it
    corpus = corpus_from_document(document, catalog=_CATALOG, source="corpus.yaml")
    assert dict(corpus.scenarios[0].fields)["seen_on"] == "2026-03-12"


@pytest.mark.parametrize(("value", "shown"), [("15", "« 15 »"), (True, "« true »")])
def test_a_number_field_refuses_what_is_not_a_number(value, shown):
    document = _corpus()
    _pothole(document)["fields"]["depth_cm"] = value
    assert _refusal(document) == (
        "corpus.yaml: scenarios.nid-de-poule[0].fields.depth_cm: "
        f"attendu : un nombre ; trouvé {shown}"
    )


def test_a_choice_outside_the_fields_choices_is_refused():
    document = _corpus()
    _pothole(document)["fields"]["danger"] = "moyen"
    assert _refusal(document) == (
        "corpus.yaml: scenarios.nid-de-poule[0].fields.danger: "
        "« moyen » n'est pas un choix de ce champ (faible, grave)"
    )


def test_a_location_needs_an_address_and_coordinates_on_the_earth():
    document = _corpus()
    _pothole(document)["fields"]["place"] = {"lat": 47.3, "lon": 0.9}
    assert _refusal(document) == (
        "corpus.yaml: scenarios.nid-de-poule[0].fields.place: il manque la clé « address »"
    )
    _pothole(document)["fields"]["place"] = {"address": "Place du Marché", "lat": 147.3}
    assert _refusal(document) == (
        "corpus.yaml: scenarios.nid-de-poule[0].fields.place.lat: 147.3 : hors de [-90, 90]"
    )


def test_a_location_without_coordinates_is_fine():
    document = _corpus()
    _pothole(document)["fields"]["place"] = {"address": "Place du Marché"}
    corpus = corpus_from_document(document, catalog=_CATALOG, source="corpus.yaml")
    assert dict(corpus.scenarios[0].fields)["place"] == Location("Place du Marché", None, None)


def test_an_agent_naming_an_unknown_service_is_refused():
    document = _corpus()
    document["agents"][0]["service"] = "police"
    assert _refusal(document) == (
        "corpus.yaml: agents[0].service: « police » n'est pas un service du catalogue "
        "(accueil, voirie)"
    )


def test_two_agents_for_one_service_are_refused():
    document = _corpus()
    document["agents"].append({"service": "voirie", "first_name": "Luc", "last_name": "Roux"})
    assert _refusal(document) == (
        "corpus.yaml: agents[1].service: « voirie » figure déjà en agents[0].service"
    )


def test_an_empty_list_of_names_is_refused():
    document = _corpus()
    document["last_names"] = []
    assert _refusal(document) == "corpus.yaml: last_names: la liste ne peut pas être vide"


@pytest.mark.parametrize(
    ("place", "path"),
    [
        (("commune_name",), "commune_name"),
        (("first_names", 1), "first_names[1]"),
        (("free_text_emails", 0, "body"), "free_text_emails[0].body"),
        (("scenarios", "nid-de-poule", 0, "description"), "scenarios.nid-de-poule[0].description"),
        (
            ("scenarios", "nid-de-poule", 0, "fields", "remarks"),
            "scenarios.nid-de-poule[0].fields.remarks",
        ),
    ],
)
def test_an_empty_text_is_refused(place, path):
    document = _corpus()
    *parents, last = place
    container = document
    for key in parents:
        container = container[key]
    container[last] = ""
    assert _refusal(document) == f"corpus.yaml: {path}: ne peut pas être vide"


def test_a_subject_longer_than_a_tickets_is_refused():
    document = _corpus()
    _pothole(document)["subject"] = "T" * 201
    assert _refusal(document) == (
        "corpus.yaml: scenarios.nid-de-poule[0].subject: 201 caractères, 200 au plus"
    )
