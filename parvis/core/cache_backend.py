"""The shared cache on one machine: Django's database cache, with atomic ``add`` and ``incr``.

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
import pickle
from collections.abc import Iterator
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
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
