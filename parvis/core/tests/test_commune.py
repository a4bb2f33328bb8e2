"""The commune, read on every page: kept by each process, a new instance for every caller."""

from typing import Any

import pytest
from django.urls import reverse

from parvis.core.actions import commune_update
from parvis.core.models import Commune

pytestmark = pytest.mark.django_db


def test_a_new_installation_has_a_default_commune(django_assert_num_queries: Any) -> None:
    commune = Commune.current()
    assert commune.name == "Ma commune" and commune.pk is None
    with django_assert_num_queries(0):
        Commune.current()


def test_the_commune_is_read_once_and_each_caller_gets_its_own(
    django_capture_on_commit_callbacks: Any, django_assert_num_queries: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        commune_update(name="Villeneuve", email="mairie@villeneuve.fr")

    with django_assert_num_queries(1):
        first = Commune.current()
    with django_assert_num_queries(0):
        second = Commune.current()
    assert second is not first
    assert (second.pk, second.name, second.email) == (
        first.pk,
        "Villeneuve",
        "mairie@villeneuve.fr",
    )


def test_an_edit_in_the_admin_shows_at_once(
    admin_client: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        commune = commune_update(name="Villeneuve")
    assert Commune.current().name == "Villeneuve"

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:core_commune_change", args=[commune.pk]),
            {"name": "Villeneuve-sur-Lot", "primary_color": "#1d4e89", "mail_reopen_days": 30},
        )
    assert response.status_code == 302

    assert Commune.current().name == "Villeneuve-sur-Lot"
    assert "Villeneuve-sur-Lot" in admin_client.get(reverse("portal:home")).text
