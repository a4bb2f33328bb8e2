"""``first_row`` reads one row into a model object, as the ORM would."""

from collections.abc import Callable
from typing import Any

import pytest
from django.forms.models import model_to_dict

from parvis.accounts.models import Requester, User
from parvis.core.rows import first_row

pytestmark = pytest.mark.django_db


def test_it_reads_the_first_row_in_the_order_asked() -> None:
    older = Requester.objects.create(name="Camille Martin", email="camille@example.fr")
    newer = Requester.objects.create(name="Camille M.", email="camille@example.fr", phone="06")

    found = first_row(Requester, "email = %s", ["camille@example.fr"], order_by="id DESC")
    oldest = first_row(Requester, "email = %s", ["camille@example.fr"], order_by="id")

    assert found is not None and oldest is not None
    assert (found.pk, oldest.pk) == (newer.pk, older.pk)
    assert model_to_dict(found) == model_to_dict(Requester.objects.get(pk=newer.pk))
    assert found.created_at == Requester.objects.get(pk=newer.pk).created_at
    assert not found._state.adding and found._state.db == "default"


def test_it_answers_none_when_no_row_matches() -> None:
    assert first_row(Requester, "email = %s", ["personne@example.fr"]) is None


def test_values_come_back_in_python_types_on_every_database(
    make_agent: Callable[..., Any],
) -> None:
    agent = make_agent()
    found = first_row(User, "username = %s", [agent.username])
    assert found is not None
    assert found.is_active is True and found.is_superuser is False  # SQLite stores 1 and 0
    assert found.date_joined == User.objects.get(pk=agent.pk).date_joined  # an aware datetime
