"""The shared caches: Django's database cache with atomic ``add`` and ``incr`` (one machine),
and Django's Redis cache with a counter in one round trip.

Both have ``count(key, timeout)``: add one to a counter, created with that expiry if it is
missing or expired, and return it: what the rate limits do (``parvis.core.ratelimit``). On
Redis it is one ``MULTI`` (INCR, EXPIRE NX) instead of SET NX, EXISTS and INCRBY, and
``count_many`` counts several keys in one ``MULTI`` (a worker's batch of acknowledgements); the
client object is made once per connection pool rather than for every call (Django's makes a
new one, with its table of 200 reply parsers, each time).

Django's database cache counts with a read then a write: two processes counting at once
both read 4 and both write 5, and each count resets the key's expiry. Its ``add`` of an
expired key can succeed twice. Rate limits and cache versions need both to be atomic
across processes, as they are on Redis: here ``add`` and ``incr`` run in a transaction with
the key's row locked (``SELECT … FOR UPDATE`` on PostgreSQL; on SQLite, Parvis's immediate
transactions take the database's write lock as they begin). ``count`` is one upsert in a
table of its own, ``core.RateCounter`` (atomic on both databases without a lock taken
first): through the cache's ``add`` it cost eight statements, Django's counting the whole
table for culling at each write (docs/benchmarks.md, session 8).

The tables are the models ``core.CacheEntry`` and ``core.RateCounter``, created by ``migrate``.
"""

import base64
import contextlib
import pickle
import time
from collections.abc import Iterator, Sequence
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient
from django.db import connections, router, transaction
from django.db.models import QuerySet
from django.utils import timezone

from parvis.core.models import CacheEntry, RateCounter

# ADR 0029. One round trip on PostgreSQL and SQLite alike, atomic under concurrency (the conflict on
# the key's primary key is settled by the database). Every right-hand side reads the row as
# it was: an expired counter starts again at 1 with a new window; a running one keeps its
# window, shortened to this count's if that ends sooner. A constant, checked against the
# model's table by test_ratelimit.py.
COUNT_SQL = (
    'INSERT INTO "parvis_ratecounter" ("key", "count", "expires") VALUES (%s, 1, %s) '
    'ON CONFLICT ("key") DO UPDATE SET '
    '"count" = CASE WHEN "parvis_ratecounter"."expires" <= %s THEN 1 '
    'ELSE "parvis_ratecounter"."count" + 1 END, '
    '"expires" = CASE WHEN "parvis_ratecounter"."expires" <= %s '
    'OR "parvis_ratecounter"."expires" > excluded."expires" THEN excluded."expires" '
    'ELSE "parvis_ratecounter"."expires" END '
    'RETURNING "count"'
)


class DatabaseCache(DjangoDatabaseCache):
    """Django's database cache in ``core.CacheEntry``; ``add`` and ``incr`` under a row lock."""

    def __init__(self, table: str, params: dict[str, Any]) -> None:
        super().__init__(CacheEntry._meta.db_table, params)

    def add(
        self,
        key: Any,
        value: Any,
        timeout: float | None = DEFAULT_TIMEOUT,
        version: int | None = None,
    ) -> bool:
        with self._row_locked(key, version):
            return super().add(key, value, timeout, version)  # the locked row read again

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        """Add ``delta`` to the number stored under ``key``, keeping its expiry."""
        with self._row_locked(key, version) as (entries, row):
            if row is None or row.expires <= timezone.now():
                raise ValueError(f"Key '{key}' not found")
            value: int = self._decode(row.value) + delta
            entries.update(value=self._encode(value))
        return value

    def count(self, key: Any, timeout: int, version: int | None = None) -> int:
        """Add one to the counter under ``key`` (created for ``timeout`` s if missing): its value.

        A counter never outlives ``timeout`` from now. Counters are rows of
        ``core.RateCounter``, not of the cache: ``get`` does not see them, ``counted`` does.
        """
        key = self.make_and_validate_key(key, version=version)
        now = int(time.time())
        with connections[router.db_for_write(RateCounter)].cursor() as cursor:
            cursor.execute(COUNT_SQL, [key, now + timeout, now, now])
            (value,) = cursor.fetchone()
        return int(value)

    def count_many(self, keys: Sequence[Any], timeout: int) -> list[int]:
        """``count`` of each key, in order: one upsert each (a key named twice counts twice)."""
        return [self.count(key, timeout) for key in keys]

    def counted(self, key: Any, version: int | None = None) -> int:
        """What ``count`` reached under ``key`` in its running window (0: none running)."""
        key = self.make_and_validate_key(key, version=version)
        found = (
            RateCounter.objects.using(router.db_for_read(RateCounter))
            .filter(key=key, expires__gt=int(time.time()))
            .values_list("count", flat=True)
            .first()
        )
        return found or 0

    def clear(self) -> None:
        super().clear()
        RateCounter.objects.using(router.db_for_write(RateCounter)).all().delete()

    @contextlib.contextmanager
    def _row_locked(
        self, key: Any, version: int | None
    ) -> Iterator[tuple[QuerySet[CacheEntry], CacheEntry | None]]:
        """A transaction holding the row of this key (None: no row) until it ends."""
        database = router.db_for_write(self.cache_model_class)
        entries = CacheEntry.objects.using(database).filter(
            cache_key=self.make_and_validate_key(key, version=version)
        )
        with transaction.atomic(using=database):
            yield entries, entries.select_for_update().first()

    # The encoding of Django's DatabaseCache (django/core/cache/backends/db.py), so that
    # get() and set() read what incr() writes.
    def _encode(self, value: object) -> str:
        return base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")

    def _decode(self, stored: str) -> Any:
        return pickle.loads(base64.b64decode(stored.encode(), validate=True))  # noqa: S301 - our rows


class _ReusedClients(RedisCacheClient):
    """Django's Redis client maker, keeping one client per connection pool (thread-safe)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        index = self._get_connection_pool_index(write)  # type: ignore[attr-defined]
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = super().get_client(key, write=write)
        return client


class RedisCache(DjangoRedisCache):
    """Django's Redis cache; ``count`` in one round trip, clients made once."""

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = _ReusedClients

    def count(self, key: Any, timeout: int, version: int | None = None) -> int:
        """Add one to the counter under ``key`` (created for ``timeout`` s if missing): its value.

        INCR and EXPIRE LT in one transaction: the expiry is set on a new counter (or one
        left without expiry), and never pushed back on a running one.
        """
        key = self.make_and_validate_key(key, version=version)
        pipeline = self._cache.get_client(key, write=True).pipeline(transaction=True)
        pipeline.incr(key)
        pipeline.expire(key, timeout, lt=True)
        value, _expiry_set = pipeline.execute()
        return int(value)

    def count_many(self, keys: Sequence[Any], timeout: int) -> list[int]:
        """``count`` of each key, in order, in one round trip: one ``MULTI`` for them all (a
        key named twice counts twice, as two calls would)."""
        if not keys:
            return []
        full_keys = [self.make_and_validate_key(key) for key in keys]
        pipeline = self._cache.get_client(full_keys[0], write=True).pipeline(transaction=True)
        for key in full_keys:
            pipeline.incr(key)
            pipeline.expire(key, timeout, lt=True)
        return [int(value) for value in pipeline.execute()[::2]]

    def counted(self, key: Any, version: int | None = None) -> int:
        """What ``count`` reached under ``key`` in its running window (0: none running)."""
        return int(self.get(key, 0, version=version))
