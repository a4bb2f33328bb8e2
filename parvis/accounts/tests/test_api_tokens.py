"""API keys: the DRF tokens of before migration 0003 keep working as hashes; the admin revokes."""

import hashlib
from collections.abc import Callable
from importlib import import_module
from types import SimpleNamespace
from typing import Any

import pytest
from django.apps import apps
from django.db import connection

from parvis.accounts.models import ApiToken

pytestmark = pytest.mark.django_db
migration = import_module("parvis.accounts.migrations.0003_api_tokens_from_drf")


def run_sql(sql: str, params: list[object] | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_drf_keys_become_hashes_and_the_clear_table_is_dropped(
    catalog: None, make_agent: Callable[..., Any], client: Any
) -> None:
    agent = make_agent("etat-civil")
    key = "0123456789abcdef0123456789abcdef01234567"
    run_sql(
        "CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, created timestamp, "
        "user_id bigint NOT NULL)"
    )
    run_sql("INSERT INTO authtoken_token VALUES (%s, CURRENT_TIMESTAMP, %s)", [key, agent.pk])

    migration.keep_hashed(apps, SimpleNamespace(connection=connection, execute=run_sql))

    token = ApiToken.objects.get(user=agent)
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert token.prefix == key[:8]
    assert "authtoken_token" not in connection.introspection.table_names()
    response = client.get("/api/v1/tickets/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200


def test_a_new_installation_has_nothing_to_convert(db: None) -> None:
    migration.keep_hashed(apps, SimpleNamespace(connection=connection, execute=run_sql))
    assert not ApiToken.objects.exists()


def test_the_admin_lists_keys_by_their_prefix_and_can_only_revoke_them(
    catalog: None, make_agent: Callable[..., Any], admin_client: Any
) -> None:
    from parvis.accounts.actions import api_token_issue

    key = api_token_issue(user=make_agent("etat-civil", username="alice"))
    assert key is not None
    listing = admin_client.get("/admin/accounts/apitoken/").text
    assert key[:8] in listing and key not in listing
    assert admin_client.get("/admin/accounts/apitoken/add/").status_code == 403
    token = ApiToken.objects.get()
    assert (
        admin_client.post(
            f"/admin/accounts/apitoken/{token.pk}/delete/", {"post": "yes"}
        ).status_code
        == 302
    )
    assert not ApiToken.objects.exists()
