"""The counters behind the rate limits (views: test_track_lookup, test_request_form_abuse) and
the failed API keys' (api test_api_key_throttling.py)."""

import os
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import caches

from parvis.core.cache_backend import COUNT_SQL
from parvis.core.models import RateCounter
from parvis.core.ratelimit import (
    attempt_allowed,
    attempts_allowed,
    failure_record,
    failures_retry_after,
    rate_counters_purge,
)

pytestmark = pytest.mark.django_db

REDIS_URL = "redis://127.0.0.1:6379/7"  # as test_caches_across_processes.py


@pytest.fixture(autouse=True, params=["database", "redis"])
def shared_cache(request: pytest.FixtureRequest, settings: Any) -> Iterator[str]:
    """Each test on both shared caches: the database's table, and Redis when one answers."""
    if request.param == "database":
        settings.CACHES = {"default": settings.PARVIS_DATABASE_CACHE}
        yield "database"
        return
    import redis

    url = os.environ.get("PARVIS_TEST_REDIS_URL", REDIS_URL)
    client = redis.Redis.from_url(url)
    try:
        client.ping()
    except redis.ConnectionError:
        pytest.skip(f"pas de Redis sur {url}")
    prefix = f"parvis-test-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "parvis.core.cache_backend.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": prefix,
        }
    }
    yield "redis"
    keys = list(client.scan_iter(match=f"{prefix}:*"))
    if keys:
        client.delete(*keys)


def _seconds_left(key: str) -> float:
    """How long the counter under ``key`` lives on, in whichever cache holds it."""
    backend = caches["default"]
    full_key = backend.make_and_validate_key(key)
    if hasattr(backend, "_cache"):  # Redis
        ttl = backend._cache.get_client(full_key).ttl(full_key)
        return float("inf") if ttl < 0 else float(ttl)
    return RateCounter.objects.get(key=full_key).expires - time.time()


def _window_ended(key: str) -> None:
    backend = caches["default"]
    if hasattr(backend, "_cache"):  # Redis: the key expired
        backend.delete(key)
    else:  # the database: the row stays, its window over
        full_key = backend.make_and_validate_key(key)
        RateCounter.objects.filter(key=full_key).update(expires=int(time.time()) - 1)


def test_it_allows_the_limit_then_refuses() -> None:
    allowed = [attempt_allowed("lookup", "192.0.2.1", limit=3, window=60) for _ in range(5)]
    assert allowed == [True, True, True, False, False]


def test_a_counter_left_without_expiry_is_given_one(shared_cache: str) -> None:
    backend = caches["default"]
    if shared_cache == "redis":  # what Redis's incr() leaves when the key just expired
        backend.set("parvis:ratelimit:lookup:192.0.2.1", 0, timeout=None)
    else:  # the database's rows always expire; one that would outlive the window
        RateCounter.objects.create(
            key=backend.make_and_validate_key("parvis:ratelimit:lookup:192.0.2.1"),
            count=0,
            expires=int(time.time()) + 10**6,
        )

    attempt_allowed("lookup", "192.0.2.1", limit=3, window=60)

    assert _seconds_left("parvis:ratelimit:lookup:192.0.2.1") <= 60


def test_counting_keeps_the_window_of_the_first_attempt() -> None:
    attempt_allowed("lookup", "192.0.2.1", limit=3, window=60)
    first = _seconds_left("parvis:ratelimit:lookup:192.0.2.1")
    assert 0 < first <= 60
    attempt_allowed("lookup", "192.0.2.1", limit=3, window=600)  # a longer window: not reset
    assert _seconds_left("parvis:ratelimit:lookup:192.0.2.1") <= first


def test_an_expired_counter_starts_again_from_one() -> None:
    for _ in range(4):
        attempt_allowed("lookup", "192.0.2.1", limit=3, window=60)
    _window_ended("parvis:ratelimit:lookup:192.0.2.1")

    assert attempt_allowed("lookup", "192.0.2.1", limit=3, window=60)
    assert caches["default"].counted("parvis:ratelimit:lookup:192.0.2.1") == 1


def test_clients_counted_together_are_counted_as_each_alone() -> None:
    attempt_allowed("public-mail", "a", limit=2, window=60)
    together = attempts_allowed("public-mail", ["a", "b", "a", "b", "b"], limit=2, window=60)
    assert together == [True, True, False, True, False]
    assert caches["default"].counted("parvis:ratelimit:public-mail:a") == 3
    assert 0 < _seconds_left("parvis:ratelimit:public-mail:b") <= 60
    assert attempts_allowed("public-mail", [], limit=2, window=60) == []


def test_clients_counted_together_cost_one_round_trip_on_redis(
    shared_cache: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if shared_cache != "redis":
        pytest.skip("the database: one upsert per client")
    import redis

    sent: list[str] = []
    pipeline, command = redis.client.Pipeline.execute, redis.Redis.execute_command

    def pipeline_sent(self: Any, *args: Any, **kwargs: Any) -> Any:
        sent.append("pipeline")
        return pipeline(self, *args, **kwargs)

    def command_sent(self: Any, *args: Any, **kwargs: Any) -> Any:
        sent.append(str(args[0]))
        return command(self, *args, **kwargs)

    monkeypatch.setattr(redis.client.Pipeline, "execute", pipeline_sent)
    monkeypatch.setattr(redis.Redis, "execute_command", command_sent)
    assert attempts_allowed("public-mail", ["a", "b", "c"], limit=2, window=60) == [True] * 3
    assert sent == ["pipeline"]


def test_failures_block_the_client_until_the_window_ends() -> None:
    assert failures_retry_after("api-key", "192.0.2.1", limit=2, window=600) == 0
    failure_record("api-key", "192.0.2.1", window=600)
    assert failures_retry_after("api-key", "192.0.2.1", limit=2, window=600) == 0
    failure_record("api-key", "192.0.2.1", window=600)

    wait = failures_retry_after("api-key", "192.0.2.1", limit=2, window=600)
    assert 0 < wait <= 600
    assert failures_retry_after("api-key", "192.0.2.2", limit=2, window=600) == 0


def test_failures_of_an_ended_window_no_longer_block(shared_cache: str) -> None:
    for _ in range(2):
        failure_record("api-key", "192.0.2.1", window=600)
    key = f"parvis:failures:api-key:192.0.2.1:{int(time.time()) // 600}"
    _window_ended(key)

    assert failures_retry_after("api-key", "192.0.2.1", limit=2, window=600) == 0


def test_one_statement_counts_on_the_database(shared_cache: str) -> None:
    if shared_cache != "database":
        pytest.skip("Redis: one MULTI, not SQL")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    attempt_allowed("lookup", "192.0.2.1", limit=3, window=60)
    with CaptureQueriesContext(connection) as queries:
        attempt_allowed("lookup", "192.0.2.1", limit=3, window=60)
    assert len(queries) == 1
    assert f'"{RateCounter._meta.db_table}"' in COUNT_SQL


def test_the_purge_deletes_the_ended_counters_only(shared_cache: str) -> None:
    if shared_cache != "database":
        pytest.skip("Redis expires its own keys")
    attempt_allowed("lookup", "192.0.2.1", limit=3, window=60)
    attempt_allowed("lookup", "192.0.2.2", limit=3, window=60)
    _window_ended("parvis:ratelimit:lookup:192.0.2.1")

    assert rate_counters_purge() == 1
    assert RateCounter.objects.count() == 1
