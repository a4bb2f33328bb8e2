"""Each process keeps the catalogue as immutable rows and gives every caller instances of its own.

The copy follows the catalogue's version (parvis.core.cache_versions); an edit in another
process shows within a second (parvis/core/tests/test_caches_across_processes.py).
"""

import threading
from collections.abc import Callable
from typing import Any

import pytest

from parvis.catalog.actions import form_publish
from parvis.catalog.forms import fields_form_class
from parvis.catalog.models import FormField, RequestType, Service
from parvis.catalog.selectors import request_type_with_fields
from parvis.core.actions import commune_update
from parvis.core.cache_versions import CATALOGUE, current, forget
from parvis.core.models import Commune
from parvis.routing.decide import RoutingReason, route
from parvis.routing.models import KeywordRule

pytestmark = pytest.mark.django_db

SLUG = "nid-de-poule"


def pothole() -> RequestType:
    request_type = request_type_with_fields(SLUG)
    assert request_type is not None
    return request_type


def test_the_catalogue_is_read_once_then_served_without_a_query(
    catalog: None, django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(2):  # démarches with their service, fields
        first = pothole()
    with django_assert_num_queries(0):
        again = pothole()
        internal = request_type_with_fields("panne-informatique", include_internal=True)
        fields = list(again.fields.all())
        service = again.service
    assert [f.key for f in fields] == [f.key for f in first.fields.all()]
    assert service.slug == "services-techniques"
    assert internal is not None and internal.service.slug == "informatique"


def test_each_caller_gets_instances_of_its_own(catalog: None) -> None:
    first = pothole()
    first.name = "Changé par une requête"
    first.service.name = "Changé aussi"
    first.fields.all()[0].label = "Et ceci"

    second = pothole()
    assert second is not first and second.service is not first.service
    assert second.fields.all()[0] is not first.fields.all()[0]
    assert second.name == RequestType.objects.get(slug=SLUG).name
    assert second.service.name == "Services techniques"
    assert second.fields.all()[0].label == FormField.objects.filter(request_type=second)[0].label


def test_no_instance_is_shared_between_threads(
    catalog: None, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        commune_update(name="Villeneuve")
    served: list[object] = []

    def serve() -> None:
        request_type = pothole()
        decision = route(request_type=None, text="Un dépôt sauvage")
        served.extend([request_type, request_type.service, *request_type.fields.all()])
        served.extend([decision.service, Commune.current()])

    serve()  # the copies are loaded: the threads below read no table
    threads = [threading.Thread(target=serve) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len({id(instance) for instance in served}) == len(served)


def test_a_filter_on_the_fields_still_reads_this_demarche_only(catalog: None) -> None:
    required = list(pothole().fields.filter(required=True))
    assert required == list(FormField.objects.filter(request_type__slug=SLUG, required=True))


def test_internal_and_inactive_demarches_are_not_public(catalog: None) -> None:
    assert request_type_with_fields("panne-informatique") is None
    RequestType.objects.filter(slug=SLUG).update(is_active=False)
    assert request_type_with_fields(SLUG) is None
    assert request_type_with_fields(SLUG, include_internal=True) is None


def test_an_edit_is_seen_at_once_by_the_process_that_made_it(
    catalog: None, django_capture_on_commit_callbacks: Any, django_assert_num_queries: Any
) -> None:
    pothole()
    field = FormField.objects.get(request_type__slug=SLUG, key="location")
    field.label = "Adresse exacte"
    with django_capture_on_commit_callbacks(execute=True):
        field.save()
    assert pothole().fields.all()[0].label != "Adresse exacte"  # a draft, not published
    with django_capture_on_commit_callbacks(execute=True):
        form_publish(request_type=field.request_type, actor=None)

    assert pothole().fields.all()[0].label == "Adresse exacte"
    with django_assert_num_queries(0):
        pothole()


def _save(model: type[Any]) -> None:
    instance = model.objects.first()
    instance.save()


WRITES: dict[str, Callable[[], object]] = {
    "save": lambda: _save(RequestType),
    "delete": lambda: FormField.objects.filter(request_type__slug=SLUG, key="photo").delete(),
    "update": lambda: Service.objects.filter(slug="urbanisme").update(name="Urbanisme"),
    "bulk_create": lambda: FormField.objects.bulk_create(
        [FormField(request_type=RequestType.objects.get(slug=SLUG), key="new", label="Nouveau")]
    ),
    "bulk_update": lambda: RequestType.objects.bulk_update(
        list(RequestType.objects.all()[:2]), ["position"]
    ),
    "rule save": lambda: _save(KeywordRule),
    "rule delete": lambda: KeywordRule.objects.first().delete(),  # type: ignore[union-attr]
}


@pytest.mark.parametrize("write", WRITES)
def test_every_write_through_the_orm_bumps_the_catalogue(
    catalog: None, django_capture_on_commit_callbacks: Any, write: str
) -> None:
    before = current(CATALOGUE)
    with django_capture_on_commit_callbacks(execute=True):
        WRITES[write]()
    assert current(CATALOGUE) > before


def test_a_new_routing_rule_routes_at_once(catalog: None) -> None:
    assert route(request_type=None, text="Le zeppelin est tombé").reason == RoutingReason.TRIAGE
    KeywordRule.objects.create(
        keywords="Zeppelin, dirigeable", service=Service.objects.get(slug="police-municipale")
    )

    decision = route(request_type=None, text="Le ZEPPELIN est tombé")
    assert decision.service.slug == "police-municipale"
    assert decision.reason == RoutingReason.KEYWORD and decision.params["keyword"] == "Zeppelin"


def test_a_form_class_is_built_once_per_list_of_fields(catalog: None) -> None:
    form_class = fields_form_class(pothole())
    assert fields_form_class(pothole()) is form_class
    forget()  # another process: the same fields, the same class
    assert fields_form_class(pothole()) is form_class

    FormField.objects.filter(request_type__slug=SLUG, key="location").update(label="Où ?")
    form_publish(request_type=RequestType.objects.get(slug=SLUG), actor=None)
    edited = fields_form_class(pothole())
    assert edited is not form_class
    assert edited.base_fields["location"].label == "Où ?"
