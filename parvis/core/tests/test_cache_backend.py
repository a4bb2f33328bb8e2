"""The shared cache of one machine: Django's database cache, ``add`` and ``incr`` atomic.

Counting from two processes at once is tested in test_caches_across_processes.py.
"""

import datetime
from typing import Any

import pytest
from django.core.cache import BaseCache, caches
from django.db import connection
from django.utils import timezone

from parvis.core.models import CacheEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_cache(settings: Any) -> BaseCache:
    settings.CACHES = {"default": settings.PARVIS_DATABASE_CACHE}
    return caches["default"]


def expire(key: str) -> None:
    past = timezone.now() - datetime.timedelta(seconds=1)
    CacheEntry.objects.filter(cache_key__endswith=f":{key}").update(expires=past)


def test_its_table_is_created_by_the_migrations() -> None:
    assert "parvis_cache" in connection.introspection.table_names()


def test_incr_counts_and_keeps_the_expiry(database_cache: BaseCache) -> None:
    assert database_cache.add("attempts", 0, timeout=60)
    expires = CacheEntry.objects.get().expires

    assert database_cache.incr("attempts") == 1
    assert database_cache.incr("attempts", 4) == 5
    assert database_cache.get("attempts") == 5
    assert CacheEntry.objects.get().expires == expires


def test_incr_of_a_missing_or_expired_key_fails(database_cache: BaseCache) -> None:
    with pytest.raises(ValueError, match="not found"):
        database_cache.incr("missing")
    database_cache.set("old", 1, timeout=60)
    expire("old")
    with pytest.raises(ValueError, match="not found"):
        database_cache.incr("old")


def test_add_writes_only_a_missing_or_expired_key(database_cache: BaseCache) -> None:
    assert database_cache.add("key", "first", timeout=60)
    assert not database_cache.add("key", "second", timeout=60)
    assert database_cache.get("key") == "first"

    expire("key")
    assert database_cache.add("key", "third", timeout=60)
    assert database_cache.get("key") == "third"
