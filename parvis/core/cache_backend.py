"""The shared caches: Django's database cache with atomic ``add`` and ``incr`` (one machine),
and Django's Redis cache with a counter in one round trip.

Both have ``count(key, timeout)``: add one to a counter, created with that expiry if it is
missing or expired, and return it: what the rate limits do (``parvis.core.ratelimit``). On
Redis it is one ``MULTI`` (INCR, EXPIRE NX) instead of SET NX, EXISTS and INCRBY, and the
client object is made once per connection pool rather than for every call (Django's makes a
new one, with its table of 200 reply parsers, each time).

Django's database cache counts with a read then a write: two processes counting at once
both read 4 and both write 5, and each count resets the key's expiry. Its ``add`` of an
expired key can succeed twice. Rate limits and cache versions need both to be atomic
across processes, as they are on Redis: here each runs in a transaction with the key's row
locked (``SELECT … FOR UPDATE`` on PostgreSQL; on SQLite, Parvis's immediate transactions
take the database's write lock as they begin).

The table is the model ``core.CacheEntry``, created by ``migrate``.
"""

import base64
import contextlib
import datetime
import pickle
from collections.abc import Iterator
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient
from django.db import router, transaction
from django.db.models import QuerySet
from django.utils import timezone

from parvis.core.models import CacheEntry


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

        A counter never outlives ``timeout`` from now (one stored without expiry gets it).
        A missing row locks nothing: two processes may both find none, and the second's
        ``add`` then fails on the key's unique index; it counts again, on the first's row.
        """
        while True:
            with self._row_locked(key, version) as (entries, row):
                now = timezone.now()
                if row is None or row.expires <= now:
                    if super().add(key, 1, timeout, version):
                        return 1
                    continue  # another process wrote it meanwhile
                value: int = self._decode(row.value) + 1
                latest = now + datetime.timedelta(seconds=timeout)
                entries.update(value=self._encode(value), expires=min(row.expires, latest))
            return value

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
