"""A key's agent and services are kept by the process, and never outlive a change (ADR 0031).

Each change below is committed (its on-commit callbacks run), as in production, where the
version ``access`` moves once the change is committed; before, the thread that made it reads
afresh and the others keep the committed copy (ADR 0009).
"""

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from parvis.accounts.actions import api_token_issue
from parvis.accounts.models import Membership, User
from parvis.catalog.models import Service

URL = reverse("api:ticket-list")

pytestmark = pytest.mark.django_db


@pytest.fixture
def committed(django_capture_on_commit_callbacks: Any) -> Callable[[], Any]:
    """``with committed():`` — what is written inside counts as committed."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def client(token_client: Callable[..., APIClient], committed: Callable[[], Any]) -> APIClient:
    with committed():
        api = token_client("etat-civil")
    assert api.get(URL).status_code == 200  # the key's holder is now kept
    return api


def _reads_of_the_key(api: APIClient) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert api.get(URL).status_code == 200
    tables = ("accounts_apitoken", "accounts_membership")
    return [q["sql"] for q in queries if any(table in q["sql"] for table in tables)]


def test_a_known_key_is_not_read_again(client: APIClient) -> None:
    assert _reads_of_the_key(client) == []


def test_a_deactivated_agent_is_refused_at_once(
    client: APIClient, committed: Callable[[], Any]
) -> None:
    with committed():
        User.objects.filter(pk=client.agent.pk).update(is_active=False)  # type: ignore[attr-defined]

    assert client.get(URL).status_code == 401


def test_an_agent_deactivated_in_the_admin_is_refused_at_once(
    client: APIClient, committed: Callable[[], Any]
) -> None:
    agent = User.objects.get(pk=client.agent.pk)  # type: ignore[attr-defined]
    agent.is_active = False
    with committed():
        agent.save()

    assert client.get(URL).status_code == 401


def test_an_agent_removed_from_every_service_is_refused_at_once(
    client: APIClient, committed: Callable[[], Any]
) -> None:
    with committed():
        Membership.objects.filter(user=client.agent).delete()  # type: ignore[attr-defined]

    assert client.get(URL).status_code == 403


def test_a_rotated_key_stops_at_once_and_the_new_one_works(
    client: APIClient, committed: Callable[[], Any]
) -> None:
    with committed():
        key = api_token_issue(user=client.agent, rotate=True)  # type: ignore[attr-defined]

    assert client.get(URL).status_code == 401
    fresh = APIClient()
    fresh.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert fresh.get(URL).status_code == 200


def test_a_new_membership_is_read_at_once(client: APIClient, committed: Callable[[], Any]) -> None:
    agent = client.agent  # type: ignore[attr-defined]
    with committed():
        agent.services.add(Service.objects.get(slug="urbanisme"))  # the admin's M2M

    assert _reads_of_the_key(client) != []  # read again: the version moved
    assert _reads_of_the_key(client) == []  # then kept
