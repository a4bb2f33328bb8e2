"""The shipped workflows: read from their file, installed by load-catalog, edits kept."""

from typing import Any

import pytest
from django.core.management import call_command

from parvis.catalog.data import default_catalog
from parvis.catalog.models import RequestType
from parvis.core.datafiles import DataFileError
from parvis.workflows.actions import workflow_save_version, workflows_load_defaults
from parvis.workflows.data import default_workflows, workflows_from_document
from parvis.workflows.models import WorkflowVersion
from parvis.workflows.selectors import latest_version, version_spec

SHIPPED = {
    "acte-de-naissance",
    "declaration-prealable",
    "reservation-salle",
    "demande-subvention",
    "pret-de-materiel",
}


def test_every_shipped_workflow_names_demarches_of_the_default_catalogue() -> None:
    slugs = {rt.slug for rt in default_catalog().request_types}
    named = {slug for w in default_workflows() for slug in w.request_types}
    assert SHIPPED <= named <= slugs


def test_a_transition_naming_an_unknown_status_is_refused_with_its_path() -> None:
    document = {
        "workflows": [
            {
                "request_types": ["x"],
                "statuses": [{"code": "a", "label": "A", "state": "new"}],
                "transitions": [{"code": "t", "from": "a", "to": "b", "label": "T"}],
            }
        ]
    }
    with pytest.raises(DataFileError, match=r"workflows\[0\]\.transitions\[0\]\.to"):
        workflows_from_document(document, source="w.yaml")


@pytest.mark.django_db
def test_load_catalog_installs_the_workflows_once(catalog: None) -> None:
    call_command("load-catalog", stdout=None)
    versions = WorkflowVersion.objects.count()
    assert versions >= len(SHIPPED)
    for slug in SHIPPED:
        assert latest_version(RequestType.objects.get(slug=slug).pk) is not None
    assert workflows_load_defaults() == {"workflows": 0, "versions": 0}
    assert WorkflowVersion.objects.count() == versions


@pytest.mark.django_db
def test_an_administrators_version_is_never_replaced_by_the_shipped_one(
    catalog: None, monkeypatch: Any
) -> None:
    workflows_load_defaults()
    request_type = RequestType.objects.get(slug="pret-de-materiel")
    shipped = latest_version(request_type.pk)
    edited = workflow_save_version(
        request_type=request_type, spec=version_spec(shipped), actor=None
    )
    # The file changes: a démarche still on the shipped version gets the new one, an edited
    # one keeps its administrator's.
    original = default_workflows()
    changed = tuple(
        type(w)(w.request_types, type(w.spec)(w.spec.statuses, w.spec.transitions[:1]))
        for w in original
    )
    monkeypatch.setattr("parvis.workflows.data.default_workflows", lambda: changed)
    created = workflows_load_defaults()
    assert latest_version(request_type.pk) == edited
    assert created["versions"] > 0
    permit = latest_version(RequestType.objects.get(slug="declaration-prealable").pk)
    assert permit.is_default and len(version_spec(permit).transitions) == 1
