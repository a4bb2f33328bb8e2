"""The counters behind the rate limits (views: test_track_lookup, test_request_form_abuse) and
the failed API keys' (api test_api_key_throttling.py)."""

import datetime
from typing import Any

import pytest
from django.core.cache import caches
from django.utils import timezone

from parvis.core.models import CacheEntry
from parvis.core.ratelimit import attempt_allowed, failure_record, failures_retry_after

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _database_cache(settings: Any) -> None:
    settings.CACHES = {"default": settings.PARVIS_DATABASE_CACHE}


def test_it_allows_the_limit_then_refuses() -> None:
    allowed = [attempt_allowed("lookup", "192.0.2.1", limit=3, window=60) for _ in range(5)]
    assert allowed == [True, True, True, False, False]


def test_a_first_attempt_always_leaves_the_counter_expiring() -> None:
    # What Redis's incr() leaves when the key expired just after Django checked it.
    caches["default"].set("parvis:ratelimit:lookup:192.0.2.1", 0, timeout=None)

    attempt_allowed("lookup", "192.0.2.1", limit=3, window=60)

    expires = CacheEntry.objects.get().expires
    assert expires <= timezone.now() + datetime.timedelta(seconds=60)


def test_failures_block_the_client_until_the_window_ends() -> None:
    assert failures_retry_after("api-key", "192.0.2.1", limit=2, window=600) == 0
    failure_record("api-key", "192.0.2.1", window=600)
    assert failures_retry_after("api-key", "192.0.2.1", limit=2, window=600) == 0
    failure_record("api-key", "192.0.2.1", window=600)

    wait = failures_retry_after("api-key", "192.0.2.1", limit=2, window=600)
    assert 0 < wait <= 600
    assert failures_retry_after("api-key", "192.0.2.2", limit=2, window=600) == 0
