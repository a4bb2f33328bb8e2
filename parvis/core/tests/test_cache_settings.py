"""Which cache the settings choose: every process must share it (docs/decisions/0009)."""

import os
import subprocess
import sys
from pathlib import Path

SHOW = (
    "import django; django.setup(); from django.conf import settings; "
    "print(settings.CACHES['default']['BACKEND'])"
)


def cache_backend(tmp_path: Path, **env: str) -> str:
    environment = os.environ | {
        "DJANGO_SETTINGS_MODULE": "parvis.settings",
        "PARVIS_DATA_DIR": str(tmp_path),
        "PARVIS_TESTING": "",
        "REDIS_URL": "",
        **env,
    }
    return subprocess.run(
        [sys.executable, "-c", SHOW], env=environment, capture_output=True, text=True, check=True
    ).stdout.strip()


def test_one_machine_shares_a_table_of_the_database(tmp_path: Path) -> None:
    assert cache_backend(tmp_path) == "parvis.core.cache_backend.DatabaseCache"


def test_redis_when_there_is_one(tmp_path: Path) -> None:
    backend = cache_backend(tmp_path, REDIS_URL="redis://cache.internal:6379/0")
    assert backend == "parvis.core.cache_backend.RedisCache"
