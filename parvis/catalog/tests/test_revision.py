"""Each process keeps a copy of the catalogue and reloads it when the catalogue's revision moves."""

from typing import Any

import pytest

from parvis.catalog import revision
from parvis.catalog.models import CatalogRevision, FormField, RequestType, Service
from parvis.catalog.selectors import request_type_with_fields
from parvis.routing.decide import RoutingReason, route
from parvis.routing.models import KeywordRule

pytestmark = pytest.mark.django_db


def test_the_catalogue_is_read_once_then_served_from_the_process_copy(
    catalog: None, django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(3):  # revision, démarches with their service, fields
        pothole = request_type_with_fields("nid-de-poule")
    with django_assert_num_queries(0):
        again = request_type_with_fields("nid-de-poule")
        internal = request_type_with_fields("panne-informatique", include_internal=True)
    assert again is pothole
    assert pothole is not None and [f.key for f in pothole.fields.all()][:1] == ["location"]
    assert internal is not None and internal.service.slug == "informatique"


def test_internal_and_inactive_demarches_are_not_public(catalog: None) -> None:
    assert request_type_with_fields("panne-informatique") is None
    RequestType.objects.filter(slug="nid-de-poule").update(is_active=False)
    revision.bump()
    assert request_type_with_fields("nid-de-poule") is None
    assert request_type_with_fields("nid-de-poule", include_internal=True) is None


def test_an_edit_in_the_admin_is_seen_at_once_by_the_same_process(catalog: None) -> None:
    pothole = request_type_with_fields("nid-de-poule")
    assert pothole is not None
    field = FormField.objects.get(request_type__slug="nid-de-poule", key="location")
    field.label = "Adresse exacte"
    field.save()

    edited = request_type_with_fields("nid-de-poule")
    assert edited is not None and edited is not pothole
    assert edited.fields.all()[0].label == "Adresse exacte"


def test_another_process_edit_is_seen_once_the_revision_is_checked_again(
    catalog: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    request_type_with_fields("nid-de-poule")
    # Another process: the row changes and the revision moves, without this process's signals.
    RequestType.objects.filter(slug="nid-de-poule").update(name="Trou dans la chaussée")
    CatalogRevision.objects.filter(pk=1).update(number=10_000)

    stale = request_type_with_fields("nid-de-poule")
    assert stale is not None and stale.name != "Trou dans la chaussée"  # checked < 1 s ago

    monkeypatch.setattr(revision, "CHECK_SECONDS", 0)
    fresh = request_type_with_fields("nid-de-poule")
    assert fresh is not None and fresh.name == "Trou dans la chaussée"


def test_a_new_routing_rule_routes_at_once(catalog: None) -> None:
    assert route(request_type=None, text="Le zeppelin est tombé").reason == RoutingReason.TRIAGE
    KeywordRule.objects.create(
        keywords="Zeppelin, dirigeable", service=Service.objects.get(slug="police-municipale")
    )

    decision = route(request_type=None, text="Le ZEPPELIN est tombé")
    assert decision.service.slug == "police-municipale"
    assert decision.reason == RoutingReason.KEYWORD and decision.params["keyword"] == "Zeppelin"


def test_deleting_a_rule_bumps_the_revision(catalog: None) -> None:
    before = revision.current()
    KeywordRule.objects.first().delete()  # type: ignore[union-attr]
    assert revision.current() == before + 1


def test_a_new_database_has_its_revision_row(db: None) -> None:
    # Created by the migration: two first edits at once never both insert it.
    assert CatalogRevision.objects.filter(pk=1).exists()
