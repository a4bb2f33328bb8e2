"""Routing v1: démarche, then keyword rules, then the triage queue."""

import pytest

from parvis.catalog.models import RequestType, Service
from parvis.routing.decide import route
from parvis.routing.models import KeywordRule

pytestmark = pytest.mark.django_db


def test_a_demarche_wins_over_keywords(catalog):
    decision = route(
        request_type=RequestType.objects.get(slug="acte-de-naissance"), text="nid de poule"
    )
    assert decision.service.slug == "etat-civil"


def test_keywords_ignore_case_accents_and_punctuation(catalog):
    assert route(request_type=None, text="Il y a un DÉPÔT SAUVAGE, rue Hugo.").service.slug == (
        "services-techniques"
    )


def test_a_keyword_must_match_whole_words(catalog):
    KeywordRule.objects.create(keywords="bal", service=Service.objects.get(slug="vie-associative"))
    assert route(request_type=None, text="Ma poubelle balance au vent").service.slug == "accueil"
    assert route(request_type=None, text="Le bal du 14 juillet").service.slug == "vie-associative"


def test_an_administrator_rule_applies_in_priority_order(catalog):
    urbanisme = Service.objects.get(slug="urbanisme")
    KeywordRule.objects.create(keywords="piscine", service=urbanisme, position=0)
    decision = route(request_type=None, text="Puis-je construire une piscine ?")
    assert decision.service == urbanisme and decision.params["keyword"] == "piscine"


def test_inactive_rules_are_ignored(catalog):
    KeywordRule.objects.update(is_active=False)
    assert route(request_type=None, text="nid de poule").service.slug == "accueil"
