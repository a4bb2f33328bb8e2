"""The classifier is retrained by the worker every night, at once when there is none, and on
an administrator's demand; each version shows its measure in the administration."""

from datetime import datetime
from typing import Any

import pytest
from django.urls import reverse

from parvis.routing.models import ClassifierVersion
from parvis.routing.tasks import (
    retrain_classifier_nightly,
    retrain_classifier_now,
    train_first_classifier,
)

pytestmark = pytest.mark.django_db


def _at(hour: int, minute: int) -> datetime:
    """A time as Huey's scheduler compares it with a crontab (naive)."""
    return datetime(2026, 12, 3, hour, minute)  # noqa: DTZ001 - Huey's schedule is naive


def test_the_nightly_retraining_runs_at_half_past_two_and_makes_a_new_version(
    catalog: None,
) -> None:
    assert retrain_classifier_nightly.task_class().validate_datetime(_at(2, 30))
    assert not retrain_classifier_nightly.task_class().validate_datetime(_at(14, 30))

    retrain_classifier_nightly()
    retrain_classifier_nightly()

    assert ClassifierVersion.objects.count() == 2


def test_a_new_installation_gets_its_first_classifier_and_only_one(catalog: None) -> None:
    assert train_first_classifier.task_class().validate_datetime(_at(9, 5))

    train_first_classifier()
    train_first_classifier()

    version = ClassifierVersion.objects.get()
    assert version.bootstrap_examples >= 1500 and version.accuracy > 0.5


def test_an_administrator_retrains_on_demand_and_reads_each_versions_measure(
    catalog: None, admin_client: Any
) -> None:
    retrain_classifier_now()
    first = ClassifierVersion.objects.get()
    changelist = reverse("admin:routing_classifierversion_changelist")

    response = admin_client.post(
        changelist,
        {"action": "retrain", "_selected_action": [first.pk]},
        follow=True,
    )

    assert "Entraînement demandé" in response.text
    assert ClassifierVersion.objects.count() == 2
    page = admin_client.get(changelist).text
    newest = ClassifierVersion.objects.latest("pk")
    assert f"{newest.accuracy:.1%}" in page and f"{newest.top3_accuracy:.1%}" in page
    assert "Exactitude (1er choix)" in page
