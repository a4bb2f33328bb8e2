"""No default secret key: generated once by `parvis run` and reused, refused in production
when missing or known; `check --deploy` passes with the documented production settings."""

import os
import re
import secrets
import socket
import sqlite3
import stat
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from parvis.secret_key import KNOWN_KEYS, create_key_file, production_refusal, read_key_file

ROOT = Path(__file__).resolve().parents[3]
MANAGE = [sys.executable, "-m", "parvis.manage"]
OLD_DEFAULT_KEY = next(iter(KNOWN_KEYS))


def _environment(data_dir: Path, **extra: str) -> dict[str, str]:
    """A production-like start: no test settings, no key, DEBUG off, its own data folder."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PARVIS_", "SECRET_KEY", "DEBUG", "SECURE_", "DJANGO_ALLOW_ASYNC"))
    }
    return env | {"PARVIS_DATA_DIR": str(data_dir), "DATABASE_URL": "", **extra}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _migrated(database: Path) -> bool:
    with sqlite3.connect(database) as connection:
        tables = connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        return "django_migrations" in {row[0] for row in tables}


def _serve_once(data_dir: Path) -> str:
    """Start `parvis run` (web only), wait for the portal to answer, stop it; its output."""
    port = _free_port()
    server = subprocess.Popen(
        [*MANAGE, "run", "--port", str(port), "--workers", "1", "--no-worker"],
        env=_environment(data_dir),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2)
                break
            except OSError:
                assert server.poll() is None, server.stdout.read() if server.stdout else ""
                assert time.monotonic() < deadline, "parvis run did not answer"
                time.sleep(0.5)
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=30)
    return output


def test_a_key_file_is_created_once_readable_by_its_owner_only(tmp_path: Path) -> None:
    assert read_key_file(tmp_path) == ""

    key = create_key_file(tmp_path)

    assert len(key) >= 50
    assert read_key_file(tmp_path) == key
    assert stat.S_IMODE((tmp_path / "secret_key").stat().st_mode) == 0o600
    # A second start (or two at once) keeps the first key.
    assert create_key_file(tmp_path) == key


def test_parvis_run_generates_the_key_on_a_first_start_and_reuses_it(tmp_path: Path) -> None:
    first = _serve_once(tmp_path)
    key = read_key_file(tmp_path)
    assert key and "Clé secrète créée" in first

    second = _serve_once(tmp_path)

    assert read_key_file(tmp_path) == key
    assert "Clé secrète créée" not in second
    # Every process reading the folder uses it: the settings of another command.
    printed = subprocess.run(
        [
            *MANAGE,
            "shell",
            "-v0",
            "-c",
            "from django.conf import settings; print(settings.SECRET_KEY)",
        ],
        env=_environment(tmp_path),
        capture_output=True,
        text=True,
        check=True,
    )
    assert printed.stdout.strip() == key


def test_parvis_run_refuses_a_production_start_with_a_known_key(tmp_path: Path) -> None:
    result = subprocess.run(
        [*MANAGE, "run", "--port", str(_free_port())],
        env=_environment(tmp_path, SECRET_KEY=OLD_DEFAULT_KEY),
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode != 0
    assert "La clé secrète (SECRET_KEY) est connue ou trop courte" in result.stderr
    assert not _migrated(tmp_path / "parvis.sqlite3")  # stopped before migrating


def test_the_web_server_refuses_a_production_start_without_a_key(tmp_path: Path) -> None:
    # gunicorn imports parvis.wsgi in each worker: the import fails with the reason.
    result = subprocess.run(
        [sys.executable, "-c", "import parvis.wsgi"],
        env=_environment(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode != 0
    assert "Aucune clé secrète : Parvis refuse de démarrer en production" in result.stderr
    assert "SECRET_KEY_FILE" in result.stderr


@pytest.mark.parametrize(
    "key", ["", OLD_DEFAULT_KEY, "django-insecure-" + "x1" * 30, "court", "a" * 60]
)
def test_a_production_start_refuses_a_missing_or_weak_key(
    settings: Any, db: None, key: str
) -> None:
    settings.DEBUG = False
    settings.SECRET_KEY = key
    assert production_refusal() is not None


def test_a_strong_key_debug_or_the_demo_commune_may_start(
    settings: Any, db: None, make_agent: Any
) -> None:
    settings.DEBUG = False
    settings.SECRET_KEY = secrets.token_urlsafe(50)
    assert production_refusal() is None

    settings.SECRET_KEY = OLD_DEFAULT_KEY
    settings.DEBUG = True
    assert production_refusal() is None

    settings.DEBUG = False
    demo = make_agent()
    demo.is_demo = True
    demo.save(update_fields=["is_demo"])
    assert production_refusal() is None


def _documented_production_settings() -> dict[str, str]:
    text = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- production-settings -->\s*```sh\n(.*?)```", text, re.DOTALL)
    assert block, "docs/configuration.md: the production settings block is missing"
    pairs = (line.split("=", 1) for line in block.group(1).splitlines() if line.strip())
    return {name.strip(): value.strip() for name, value in pairs}


def test_check_deploy_passes_with_the_documented_production_settings(tmp_path: Path) -> None:
    documented = _documented_production_settings()
    assert {"SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_PROXY_SSL_HEADER"} <= set(
        documented
    )
    key_file = tmp_path / "secret_key"
    key_file.write_text(secrets.token_urlsafe(50))
    documented["SECRET_KEY_FILE"] = str(key_file)

    result = subprocess.run(
        [*MANAGE, "check", "--deploy", "--fail-level", "WARNING"],
        env=_environment(tmp_path, **documented),
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_fails_without_them(tmp_path: Path) -> None:
    result = subprocess.run(
        [*MANAGE, "check", "--deploy", "--fail-level", "WARNING"],
        env=_environment(tmp_path, SECRET_KEY=secrets.token_urlsafe(50)),
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode != 0
    assert "security.W004" in result.stderr and "security.W008" in result.stderr
