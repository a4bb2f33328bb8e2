"""How DATABASE_URL and DATABASE_PREPARED_STATEMENTS become Django's database settings."""

import json
import os
import subprocess
import sys

import pytest

SHOW = (
    "import django, json; django.setup(); from django.conf import settings; "
    "db = settings.DATABASES['default']; print(json.dumps([db['ENGINE'], db.get('OPTIONS', {})]))"
)


def database_settings(**env: str) -> list[object]:
    environment = {k: v for k, v in os.environ.items() if k != "DATABASE_PREPARED_STATEMENTS"}
    environment |= {"DJANGO_SETTINGS_MODULE": "parvis.settings", **env}
    output = subprocess.run(
        [sys.executable, "-c", SHOW], env=environment, capture_output=True, text=True, check=True
    ).stdout
    result: list[object] = json.loads(output)
    return result


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, {"server_side_binding": True, "prepare_threshold": 5}), ("false", {})],
)
def test_postgresql_uses_prepared_statements_unless_turned_off(
    value: str | None, expected: dict[str, object]
) -> None:
    env = {"DATABASE_URL": "postgres://parvis@db.example.fr:5432/parvis"}
    if value is not None:
        env["DATABASE_PREPARED_STATEMENTS"] = value
    assert database_settings(**env) == ["django.db.backends.postgresql", expected]


def test_sqlite_is_the_default_without_database_url() -> None:
    engine, options = database_settings(DATABASE_URL="")
    assert engine == "django.db.backends.sqlite3"
    assert isinstance(options, dict) and options["transaction_mode"] == "IMMEDIATE"


def test_a_sqlite_database_url_gets_the_same_settings_as_the_default_file() -> None:
    """WAL, synchronous=NORMAL, queued writers: without them each commit waits for the disk."""
    _engine, default = database_settings(DATABASE_URL="")
    engine, options = database_settings(DATABASE_URL="sqlite:////tmp/parvis-elsewhere.sqlite3")
    assert engine == "django.db.backends.sqlite3"
    assert options == default
    assert isinstance(options, dict) and "PRAGMA journal_mode=WAL;" in options["init_command"]
