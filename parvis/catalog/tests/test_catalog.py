"""The default catalogue, its search, and the form built from a démarche's fields."""

import pytest
from django.core.management import call_command

from parvis.catalog.forms import fields_form_class, json_values
from parvis.catalog.models import FormField, RequestType, Service
from parvis.catalog.selectors import public_catalog, search_request_types
from parvis.routing.models import KeywordRule

pytestmark = pytest.mark.django_db

SERVICE_SLUGS = {
    "etat-civil",
    "urbanisme",
    "services-techniques",
    "ccas",
    "vie-associative",
    "enfance-education",
    "police-municipale",
    "accueil",
    "informatique",
    "services-generaux",
}


def test_the_default_catalogue_has_the_expected_services(catalog):
    assert set(Service.objects.values_list("slug", flat=True)) == SERVICE_SLUGS
    internal = set(Service.objects.filter(is_internal=True).values_list("slug", flat=True))
    assert internal == {"informatique", "services-generaux"}
    for service in Service.objects.all():
        assert service.request_types.exists(), service.slug


def test_social_aid_is_confidential_and_staff_requests_are_internal(catalog):
    assert RequestType.objects.get(slug="demande-aide-sociale").is_confidential
    assert RequestType.objects.get(slug="panne-informatique").visibility == "internal"


def test_the_birth_certificate_asks_what_the_registrar_needs(catalog):
    keys = set(
        RequestType.objects.get(slug="acte-de-naissance").fields.values_list("key", flat=True)
    )
    assert {
        "birth_last_name",
        "first_names",
        "birth_date",
        "birth_place",
        "copy_type",
        "copies",
    } <= keys


def test_loading_twice_keeps_what_an_administrator_edited(capsys):
    call_command("load-catalog")
    RequestType.objects.filter(slug="nid-de-poule").update(name="Trou dans la route")
    call_command("load-catalog")
    assert RequestType.objects.get(slug="nid-de-poule").name == "Trou dans la route"
    assert KeywordRule.objects.count() > 5
    # The catalogue's line of the second run, the knowledge base's, the workflows'.
    second_load = capsys.readouterr().out.splitlines()[-3:]
    assert "0 démarche(s)" in second_load[0]
    assert "0 fiche(s) ajoutées" in second_load[1]
    assert "Circuits de traitement : 0 ajouté(s)" in second_load[2]


def test_the_public_catalogue_hides_internal_services(catalog, django_assert_num_queries):
    with django_assert_num_queries(2):
        services = public_catalog()
        slugs = {s.slug for s in services}
        all_types = [t for s in services for t in s.public_types]
    assert "informatique" not in slugs
    assert all(t.visibility == "public" for t in all_types)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("naissance", "acte-de-naissance"),
        ("NID de poule", "nid-de-poule"),
        ("éclairage", "eclairage-public"),
        ("salle", "reservation-salle"),
        ("subventions", "demande-subvention"),
    ],
)
def test_a_few_words_find_the_demarche(catalog, query, expected):
    assert expected in [t.slug for t in search_request_types(query)]


def test_search_never_offers_internal_demarches_to_citizens(catalog):
    assert all(t.visibility == "public" for t in search_request_types("informatique panne"))
    assert "panne-informatique" not in [t.slug for t in search_request_types("informatique")]
    found = search_request_types("panne informatique", include_internal=True)
    assert found[0].slug == "panne-informatique"


def test_the_fields_form_validates_each_kind(catalog):
    request_type = RequestType.objects.create(
        slug="essai", name="Essai", service=Service.objects.get(slug="accueil")
    )
    for position, (key, kind, choices) in enumerate(
        [
            ("when", FormField.Kind.DATE, ""),
            ("count", FormField.Kind.NUMBER, ""),
            ("pick", FormField.Kind.CHOICE, "a|Choix A\nb|Choix B"),
            ("mail", FormField.Kind.EMAIL, ""),
            ("tel", FormField.Kind.PHONE, ""),
        ]
    ):
        FormField.objects.create(
            request_type=request_type,
            key=key,
            label=key,
            kind=kind,
            required=True,
            choices=choices,
            position=position,
        )
    form_class = fields_form_class(request_type)
    bad = form_class(
        data={"when": "31/02/2026", "count": "x", "pick": "c", "mail": "nope", "tel": "abc"}
    )
    assert not bad.is_valid()
    assert set(bad.errors) == {"when", "count", "pick", "mail", "tel"}
    good = form_class(
        data={
            "when": "2026-02-28",
            "count": "3",
            "pick": "b",
            "mail": "a@b.fr",
            "tel": "06 12 34 56 78",
        }
    )
    assert good.is_valid(), good.errors
    assert json_values(request_type, good.cleaned_data) == {
        "when": "2026-02-28",
        "count": 3,
        "pick": "b",
        "mail": "a@b.fr",
        "tel": "06 12 34 56 78",
    }
