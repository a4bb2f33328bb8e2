"""The workflow editor: administrators only; saving writes a new version, errors in French."""

from typing import Any

import pytest
from django.urls import reverse

from parvis.catalog.models import RequestType
from parvis.workflows.selectors import latest_version, version_spec

pytestmark = pytest.mark.django_db


def _form_data(page_context: Any) -> dict[str, Any]:
    """What the editor's page posts back untouched: its formsets' initial values."""
    data: dict[str, Any] = {}
    for formset in (page_context["statuses"], page_context["transitions"]):
        for key, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{key}"] = value
        for form in formset.forms:
            for name, field in form.fields.items():
                value = form.initial.get(name, field.initial)
                if value in (None, False):
                    continue
                data[form.add_prefix(name)] = value
    return data


def test_an_agent_who_is_not_an_administrator_is_refused(
    workflows: None, make_agent: Any, login: Any
) -> None:
    client = login(make_agent("vie-associative"))
    response = client.get(reverse("backoffice:workflow_list"))
    assert response.status_code == 403


def test_the_list_names_every_demarche_and_its_version_in_few_queries(
    workflows: None, make_agent: Any, login: Any, django_assert_max_num_queries: Any
) -> None:
    client = login(make_agent("vie-associative", is_superuser=True))
    client.get(reverse("backoffice:workflow_list"))
    with django_assert_max_num_queries(8):
        page = client.get(reverse("backoffice:workflow_list")).content.decode()
    assert "Réservation d&#x27;une salle municipale" in page or "salle" in page
    assert "version 1" in page


def test_saving_unchanged_writes_the_next_version_with_the_same_content(
    workflows: None, make_agent: Any, login: Any
) -> None:
    client = login(make_agent("vie-associative", is_superuser=True))
    request_type = RequestType.objects.get(slug="reservation-salle")
    before = latest_version(request_type.pk)
    url = reverse("backoffice:workflow_edit", args=[request_type.slug])
    response = client.post(url, _form_data(client.get(url).context))
    assert response.status_code == 302
    after = latest_version(request_type.pk)
    assert after.number == before.number + 1
    assert version_spec(after) == version_spec(before)


def test_a_workflow_that_could_not_run_is_refused_and_what_was_typed_kept(
    workflows: None, make_agent: Any, login: Any
) -> None:
    client = login(make_agent("vie-associative", is_superuser=True))
    request_type = RequestType.objects.get(slug="reservation-salle")
    before = latest_version(request_type.pk)
    url = reverse("backoffice:workflow_edit", args=[request_type.slug])
    data = _form_data(client.get(url).context)
    data["statuses-0-lifecycle_state"] = "in_progress"
    data["statuses-1-label"] = "Vérification revue et corrigée"
    response = client.post(url, data)
    page = response.content.decode()
    assert response.status_code == 400
    assert "La première étape, où commence toute demande" in page
    assert "Vérification revue et corrigée" in page
    assert latest_version(request_type.pk) == before
